package dev.hvspec.spec.steps;

import dev.hvspec.kvm.abi.AbiConstant;
import dev.hvspec.kvm.abi.AbiDump;
import dev.hvspec.kvm.abi.FdKind;
import dev.hvspec.kvm.abi.IoctlEncoding;
import dev.hvspec.kvm.abi.KernelProfile;
import dev.hvspec.kvm.abi.KvmAbi;
import dev.hvspec.kvm.abi.KvmCap;
import dev.hvspec.kvm.abi.KvmIoctl;
import dev.hvspec.kvm.abi.StructLayout;
import dev.hvspec.kvm.abi.StructView;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steps for the KVM ABI facts (features/abi): request codes, struct layouts, byte-level access
 * and the kernel capability profiles. Expected values in the features are worked out by hand
 * from linux/kvm.h; abi-compat checks the same facts against gcc.
 */
public final class AbiSteps {
    private StructView view;

    public AbiSteps() {
    }

    private static KvmIoctl ioctl(String cName) {
        assertThat(cName).startsWith("KVM_");
        return KvmIoctl.valueOf(cName.substring("KVM_".length()));
    }

    private static KvmCap cap(String cName) {
        assertThat(cName).startsWith("KVM_CAP_");
        return KvmCap.valueOf(cName.substring("KVM_CAP_".length()));
    }

    private static FdKind fd(String kind) {
        return FdKind.valueOf(kind.toUpperCase(Locale.ROOT));
    }

    private static KernelProfile profile(String release) {
        return KernelProfile.of(release).orElseThrow(() -> new AssertionError("no kernel profile " + release));
    }

    private static StructLayout layout(String tag) {
        return KvmAbi.layout(tag).orElseThrow(() -> new AssertionError("struct " + tag + " is not modelled"));
    }

    @Then("the ABI request code of {word} is {word}")
    public void requestCode(String name, String code) {
        assertThat(ioctl(name).code()).as(name).isEqualTo(Values.parse(code));
    }

    @Then("the ABI request {word} is {word} with number {word} and a {int}-byte argument")
    public void requestShape(String name, String macro, String nr, int size) {
        KvmIoctl ioctl = ioctl(name);
        assertThat(ioctl.direction().macro()).as(name).isEqualTo(macro);
        assertThat(IoctlEncoding.nr(ioctl.code())).isEqualTo(Values.parseInt(nr));
        assertThat(IoctlEncoding.type(ioctl.code())).isEqualTo(IoctlEncoding.KVMIO);
        assertThat(IoctlEncoding.size(ioctl.code())).isEqualTo(size);
    }

    @Then("on a {word} fd the ABI request code {word} means {word}")
    public void decodesTo(String kind, String code, String name) {
        assertThat(KvmIoctl.decode(fd(kind), Values.parse(code))).contains(ioctl(name));
    }

    @Then("on a {word} fd the ABI request code {word} is unknown")
    public void decodesToNothing(String kind, String code) {
        assertThat(KvmIoctl.decode(fd(kind), Values.parse(code))).isEmpty();
    }

    @Then("the ABI constant {word} is {word}")
    public void constant(String name, String value) {
        List<AbiConstant> matches = AbiDump.constants().stream().filter(c -> c.cName().equals(name)).toList();
        assertThat(matches).as(name).hasSize(1);
        assertThat(matches.get(0).value()).as(name).isEqualTo(Values.parse(value));
    }

    @Then("the ABI struct {word} is {int} bytes")
    public void structSize(String tag, int size) {
        assertThat(layout(tag).size()).as("sizeof(struct %s)", tag).isEqualTo(size);
    }

    @Then("the ABI field {word} is at offset {int} with size {int}")
    public void fieldAt(String path, int offset, int size) {
        int dot = path.indexOf('.');
        var field = layout(path.substring(0, dot)).field(path.substring(dot + 1));
        assertThat(field.offset()).as("offsetof %s", path).isEqualTo(offset);
        assertThat(field.size()).as("sizeof %s", path).isEqualTo(size);
    }

    @Given("an ABI view of a zeroed struct {word}")
    public void zeroed(String tag) {
        view = StructView.allocate(layout(tag));
    }

    @When("the ABI field {word} is set to {word}")
    public void set(String path, String value) {
        view.set(path, Values.parse(value));
    }

    @Then("byte {int} of the ABI view is {word}")
    public void byteAt(int index, String value) {
        assertThat(view.toByteArray()[index] & 0xFF).as("byte %d", index).isEqualTo(Values.parseInt(value));
    }

    @Then("the ABI view has exactly {int} non-zero bytes")
    public void nonZero(int count) {
        int n = 0;
        for (byte b : view.toByteArray()) {
            n += b != 0 ? 1 : 0;
        }
        assertThat(n).isEqualTo(count);
    }

    @Then("the ABI field {word} reads {word}")
    public void reads(String path, String value) {
        assertThat(view.get(path)).as(path).isEqualTo(Values.parse(value));
    }

    @Then("kernel {word} answers {word}")
    public void answers(String release, String name) {
        assertThat(profile(release).has(ioctl(name))).as("%s in %s", name, release).isTrue();
    }

    @Then("kernel {word} does not answer {word}")
    public void doesNotAnswer(String release, String name) {
        assertThat(profile(release).has(ioctl(name))).as("%s in %s", name, release).isFalse();
    }

    @Then("kernel {word} reports {word}")
    public void reports(String release, String name) {
        assertThat(profile(release).has(cap(name))).as("%s in %s", name, release).isTrue();
    }

    @Then("kernel {word} does not report {word}")
    public void doesNotReport(String release, String name) {
        assertThat(profile(release).has(cap(name))).as("%s in %s", name, release).isFalse();
    }

    @Then("kernel {word} records the removal of {word}")
    public void recordsRemoval(String release, String name) {
        assertThat(profile(release).removed().keySet()).extracting(AbiConstant::cName).contains(name);
    }

    @Then("every kernel profile offers everything the one before it offered, except recorded removals")
    public void supersets() {
        List<KernelProfile> all = KernelProfile.all();
        List<String> lost = new ArrayList<>();
        for (int i = 1; i < all.size(); i++) {
            KernelProfile older = all.get(i - 1);
            KernelProfile newer = all.get(i);
            Set<AbiConstant> before = new HashSet<>(older.ioctls());
            before.addAll(older.capabilities());
            for (AbiConstant c : before) {
                boolean kept = c instanceof KvmIoctl x ? newer.has(x) : newer.has((KvmCap) c);
                if (!kept && !newer.removed().containsKey(c)) {
                    lost.add(newer.release() + " lost " + c.cName());
                }
            }
        }
        assertThat(lost).isEmpty();
    }

    @Then("every ioctl kernel {word} answers is announced by a capability it reports or is basic")
    public void announced(String release) {
        KernelProfile p = profile(release);
        for (KvmIoctl i : p.ioctls()) {
            i.capability().ifPresent(c -> assertThat(p.has(c)).as("%s needs %s", i.cName(), c.cName()).isTrue());
        }
    }
}
