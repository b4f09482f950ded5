package dev.hvspec.spec;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.IncludeTags;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

import static io.cucumber.junit.platform.engine.Constants.GLUE_PROPERTY_NAME;
import static io.cucumber.junit.platform.engine.Constants.PLUGIN_PROPERTY_NAME;

/**
 * Every {@code @guest} scenario again on the reference, on a VMM that emulates the 8259A, I/O APIC, local APIC and 8254 in userspace (the pre-2.6.24 path). A guest cannot tell host setups
 * apart, so the same programs must print the same TAP. Surefire's {@code reference-user} execution
 * runs this class alone with {@code -Dhvspec.target=reference:irqchip=user} (spec-features/pom.xml);
 * reports go to {@code target/cucumber-reports-reference-user/}.
 */
@Suite
@IncludeEngines("cucumber")
@SelectPackages("features")
@IncludeTags("guest")
@ConfigurationParameter(key = GLUE_PROPERTY_NAME, value = "dev.hvspec.spec.steps")
@ConfigurationParameter(key = PLUGIN_PROPERTY_NAME,
        value = "html:target/cucumber-reports-reference-user/cucumber.html,json:target/cucumber-reports-reference-user/cucumber.json,"
                + "junit:target/cucumber-reports-reference-user/cucumber-junit.xml")
public class UserIrqchipGuestSuiteTest {
}
