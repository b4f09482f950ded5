package dev.hvspec.spec;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.IncludeTags;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

import static io.cucumber.junit.platform.engine.Constants.GLUE_PROPERTY_NAME;
import static io.cucumber.junit.platform.engine.Constants.PLUGIN_PROPERTY_NAME;

/**
 * Every {@code @guest} scenario again on the reference, on a host without EPT (kvm_intel ept=0): KVM's shadow page tables. A guest cannot tell host setups
 * apart, so the same programs must print the same TAP. Surefire's {@code reference-shadow} execution
 * runs this class alone with {@code -Dhvspec.target=reference:mmu=shadow} (spec-features/pom.xml);
 * reports go to {@code target/cucumber-reports-reference-shadow/}.
 */
@Suite
@IncludeEngines("cucumber")
@SelectPackages("features")
@IncludeTags("guest")
@ConfigurationParameter(key = GLUE_PROPERTY_NAME, value = "dev.hvspec.spec.steps")
@ConfigurationParameter(key = PLUGIN_PROPERTY_NAME,
        value = "html:target/cucumber-reports-reference-shadow/cucumber.html,json:target/cucumber-reports-reference-shadow/cucumber.json,"
                + "junit:target/cucumber-reports-reference-shadow/cucumber-junit.xml")
public class ShadowMmuGuestSuiteTest {
}
