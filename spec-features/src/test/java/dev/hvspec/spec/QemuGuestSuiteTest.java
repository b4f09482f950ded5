package dev.hvspec.spec;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.IncludeTags;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

import static io.cucumber.junit.platform.engine.Constants.GLUE_PROPERTY_NAME;
import static io.cucumber.junit.platform.engine.Constants.PLUGIN_PROPERTY_NAME;

/**
 * The {@code @guest} scenarios on QEMU, in {@code mvn verify}: surefire's {@code qemu-guests}
 * execution runs this class alone with {@code -Dhvspec.target=qemu} (see spec-features/pom.xml).
 * Without qemu-system-x86_64 on PATH every scenario is skipped with that message; CI installs it.
 * Cucumber reports go to {@code target/cucumber-reports-qemu/}.
 */
@Suite
@IncludeEngines("cucumber")
@SelectPackages("features")
@IncludeTags("guest")
@ConfigurationParameter(key = GLUE_PROPERTY_NAME, value = "dev.hvspec.spec.steps")
@ConfigurationParameter(key = PLUGIN_PROPERTY_NAME,
        value = "html:target/cucumber-reports-qemu/cucumber.html,json:target/cucumber-reports-qemu/cucumber.json,"
                + "junit:target/cucumber-reports-qemu/cucumber-junit.xml")
public class QemuGuestSuiteTest {
}
