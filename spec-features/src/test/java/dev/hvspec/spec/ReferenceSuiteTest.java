package dev.hvspec.spec;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

import static io.cucumber.junit.platform.engine.Constants.GLUE_PROPERTY_NAME;
import static io.cucumber.junit.platform.engine.Constants.PLUGIN_PROPERTY_NAME;

/**
 * The whole Gherkin suite against the in-process reference, in {@code mvn verify}; Cucumber
 * reports go to {@code target/cucumber-reports/}.
 */
@Suite
@IncludeEngines("cucumber")
@SelectPackages("features")
@ConfigurationParameter(key = GLUE_PROPERTY_NAME, value = "dev.hvspec.spec.steps")
@ConfigurationParameter(key = PLUGIN_PROPERTY_NAME,
        value = "html:target/cucumber-reports/cucumber.html,json:target/cucumber-reports/cucumber.json,"
                + "junit:target/cucumber-reports/cucumber-junit.xml")
public class ReferenceSuiteTest {
}
