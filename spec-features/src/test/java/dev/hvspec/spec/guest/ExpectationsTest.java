package dev.hvspec.spec.guest;

import dev.hvspec.fixtures.FixtureCatalog;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The expectations file format, and that every shipped declaration names a real fixture. */
class ExpectationsTest {
    @Test
    void linesAreNameAndReasonWithComments() {
        Expectations e = Expectations.parse("# comment\n\ncpu-mov   lies about MOV\n  exc-int1 icebp is #UD  \n");
        assertThat(e.reasonFor("cpu-mov")).contains("lies about MOV");
        assertThat(e.reasonFor("exc-int1")).contains("icebp is #UD");
        assertThat(e.reasonFor("cpu-xchg")).isEmpty();
    }

    @Test
    void aDeclarationWithoutAReasonIsRejected() {
        assertThatThrownBy(() -> Expectations.parse("cpu-mov\n")).hasMessageContaining("needs a reason");
    }

    @Test
    void shippedDeclarationsNameExistingFixtures() {
        FixtureCatalog catalog = FixtureCatalog.standard();
        for (String target : new String[] {"qemu", "reference"}) {
            Expectations e = Expectations.forTarget(target);
            assertThat(e.all().keySet()).as(target).allMatch(name -> catalog.find(name).isPresent());
        }
        assertThat(Expectations.forTarget("qemu").all()).isNotEmpty();
    }
}
