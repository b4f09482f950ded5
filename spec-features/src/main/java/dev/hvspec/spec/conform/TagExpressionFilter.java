package dev.hvspec.spec.conform;

import io.cucumber.tagexpressions.Expression;
import io.cucumber.tagexpressions.TagExpressionParser;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestTag;
import org.junit.platform.launcher.PostDiscoveryFilter;

import java.util.List;

/**
 * Selects scenarios by a Cucumber tag expression at discovery time, so scenarios that were not
 * asked for are left out of the plan and the reports instead of being reported as skipped.
 * Gherkin tags arrive as JUnit test tags without the leading {@code @}.
 */
final class TagExpressionFilter implements PostDiscoveryFilter {
    private final String source;
    private final Expression expression;

    TagExpressionFilter(String expression) {
        this.source = expression;
        this.expression = TagExpressionParser.parse(expression);
    }

    @Override
    public FilterResult apply(TestDescriptor descriptor) {
        if (!descriptor.isTest()) {
            return FilterResult.included("containers are kept");
        }
        List<String> tags = descriptor.getTags().stream().map(TestTag::getName)
                .map(t -> t.startsWith("@") ? t : "@" + t).toList();
        return FilterResult.includedIf(expression.evaluate(tags),
                () -> "matches " + source, () -> "does not match " + source);
    }
}
