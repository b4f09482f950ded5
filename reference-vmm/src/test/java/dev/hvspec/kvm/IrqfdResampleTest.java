package dev.hvspec.kvm;

import dev.hvspec.kvm.abi.Errno;
import dev.hvspec.kvm.abi.KvmCap;
import dev.hvspec.kvm.abi.KvmIoctl;
import dev.hvspec.kvm.abi.KvmIrqStructs;
import dev.hvspec.kvm.abi.KvmRunLayout;
import dev.hvspec.kvm.abi.KvmStructs;
import dev.hvspec.kvm.abi.StructLayout;
import dev.hvspec.kvm.abi.StructView;
import dev.hvspec.machine.cpu.isa.Assembler;
import dev.hvspec.machine.cpu.isa.Condition;
import dev.hvspec.machine.cpu.isa.Label;
import dev.hvspec.machine.cpu.isa.Mnemonic;
import dev.hvspec.vmm.kvm.Sregs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static dev.hvspec.machine.cpu.isa.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resampling irqfds (KVM_IRQFD with KVM_IRQFD_FLAG_RESAMPLE, api.rst §4.75) through the byte-level
 * ABI alone, with a guest that takes the interrupt: "posting of an interrupt through kvm_irq.fd
 * asserts the specified gsi in the irqchip. When the irqchip is resampled, such as from an EOI, the
 * gsi is de-asserted and the user is notified via kvm_irqfd.resamplefd. It is the user's
 * responsibility to re-queue the interrupt if the device making use of it still requires service."
 *
 * <p>GSI 10 (KVM's default table: 8259A slave IR2 and I/O APIC pin 10) is level-triggered on the
 * controller the guest uses: an I/O APIC entry with the trigger-mode bit (82093AA §3.2.4) and
 * vector 50h, or the 8259A with ELCR2 bit 2 (PIIX3 ELCR; vectors 28h-2Fh on the slave). The
 * guest's handler stops at port 82h before its EOI and at 83h after it. Expected states come from
 * those datasheets: a level pin's input shows in the I/O APIC's IRR word (kvm_ioapic_state.irr)
 * and Remote IRR (entry bit 14) stays set until the EOI; the 8259A's IRR follows a level input.
 */
@Tag("kvm-api-4.75")
class IrqfdResampleTest {
    private static final long RAM = 2L << 20;
    private static final long CODE = 0x10000, GDT = 0x1000, IDT = 0x2000, STACK = 0x8000, COUNT = 0x3000;
    private static final long APIC = 0xFEE0_0000L, IOAPIC = 0xFEC0_0000L;
    private static final int GSI = 10, IOAPIC_VECTOR = 0x50, PIC_VECTOR = 0x28 + 2;
    private static final int READY = 0x81, BEFORE_EOI = 0x82, AFTER_EOI = 0x83, DONE = 0xF4;

    enum Controller { IOAPIC, PIC8259 }

    private final HostKernel kernel = HostKernel.modern();
    private final int system = kernel.open(HostKernel.DEV_KVM);
    private final int vm = (int) ok(kernel.ioctl(system, KvmIoctl.CREATE_VM.code(), 0));
    private final long ram = kernel.mmapAnonymous(RAM);
    private final long scratch = kernel.mmapAnonymous(64 * 1024);
    private int vcpu;
    private long runArea;

    @Test
    void kvmCapIrqfdResampleIsReportedBy61AndAbsentFromKernelsWithoutIrqfds() {
        assertThat(kernel.ioctl(system, KvmIoctl.CHECK_EXTENSION.code(), KvmCap.IRQFD_RESAMPLE.number())).isEqualTo(1);
        HostKernel old = new HostKernel(dev.hvspec.kvm.abi.KernelProfile.of("2.6.26").orElseThrow());
        int oldSystem = old.open(HostKernel.DEV_KVM);
        assertThat(old.ioctl(oldSystem, KvmIoctl.CHECK_EXTENSION.code(), KvmCap.IRQFD_RESAMPLE.number())).isZero();
    }

    @ParameterizedTest
    @EnumSource(Controller.class)
    @Timeout(60)
    void anEoiDeassertsTheGsiSignalsTheResamplefdAndAReassertionInterruptsAgain(Controller controller) {
        boot(controller);
        int irqfd = kernel.eventfd();
        int resamplefd = kernel.eventfd();
        StructView args = view(KvmIrqStructs.KVM_IRQFD, scratch);
        args.set("fd", irqfd).set("gsi", GSI).set("flags", 2).set("resamplefd", resamplefd);
        assertThat(kernel.ioctl(vm, KvmIoctl.IRQFD.code(), scratch)).isZero();

        assertThat(runToIo()).isEqualTo(READY);
        kernel.eventfdWrite(irqfd, 1); // the device asserts its line
        assertThat(lineAsserted(controller)).as("GSI 10 asserted by the irqfd write").isTrue();

        assertThat(runToIo()).as("the guest took the interrupt").isEqualTo(BEFORE_EOI);
        assertThat(kernel.eventfdRead(resamplefd)).as("no resample before the EOI").isZero();
        assertThat(lineAsserted(controller)).as("a level stays asserted until the EOI").isTrue();
        if (controller == Controller.IOAPIC) {
            assertThat(remoteIrr()).as("Remote IRR while the interrupt is in service").isTrue();
        }

        assertThat(runToIo()).isEqualTo(AFTER_EOI);
        assertThat(kernel.eventfdRead(resamplefd)).as("the EOI signalled the resamplefd once").isEqualTo(1);
        assertThat(lineAsserted(controller)).as("the EOI de-asserted the GSI").isFalse();
        assertThat(kernel.debugfsStats(vm)).containsEntry(KvmStats.IRQFD_RESAMPLES, 1L);
        if (controller == Controller.IOAPIC) {
            assertThat(remoteIrr()).isFalse();
            assertThat(lapicIrr(IOAPIC_VECTOR)).as("nothing re-delivered after the EOI").isFalse();
        }

        // The device still wants service: userspace re-asserts, and the interrupt comes again.
        kernel.eventfdWrite(irqfd, 1);
        assertThat(lineAsserted(controller)).isTrue();
        if (controller == Controller.IOAPIC) {
            assertThat(lapicIrr(IOAPIC_VECTOR)).as("re-assertion delivers the vector again").isTrue();
        }
        assertThat(runToIo()).as("second interrupt taken").isEqualTo(BEFORE_EOI);
        assertThat(runToIo()).isEqualTo(AFTER_EOI);
        assertThat(kernel.eventfdRead(resamplefd)).isEqualTo(1);
        assertThat(lineAsserted(controller)).isFalse();
        assertThat(runToIo()).isEqualTo(DONE);
        assertThat(kernel.debugfsStats(vm)).containsEntry(KvmStats.IRQFD_INJECTIONS, 2L)
                .containsEntry(KvmStats.IRQFD_RESAMPLES, 2L);
    }

    @Test
    void deassigningTheLastResamplingIrqfdReleasesTheLineAndFurtherWritesDoNothing() {
        ok(kernel.ioctl(vm, KvmIoctl.CREATE_IRQCHIP.code(), 0));
        int irqfd = kernel.eventfd();
        int resamplefd = kernel.eventfd();
        StructView args = view(KvmIrqStructs.KVM_IRQFD, scratch);
        args.set("fd", irqfd).set("gsi", GSI).set("flags", 2).set("resamplefd", resamplefd);
        assertThat(kernel.ioctl(vm, KvmIoctl.IRQFD.code(), scratch)).isZero();
        kernel.eventfdWrite(irqfd, 1);
        assertThat(lineAsserted(Controller.IOAPIC)).isTrue();
        // api.rst §4.75: KVM_IRQFD_FLAG_RESAMPLE "need not be specified with KVM_IRQFD_FLAG_DEASSIGN".
        view(KvmIrqStructs.KVM_IRQFD, scratch).set("fd", irqfd).set("gsi", GSI).set("flags", 1);
        assertThat(kernel.ioctl(vm, KvmIoctl.IRQFD.code(), scratch)).isZero();
        assertThat(lineAsserted(Controller.IOAPIC)).as("KVM de-asserts when the last resampler goes").isFalse();
        kernel.eventfdWrite(irqfd, 1);
        assertThat(lineAsserted(Controller.IOAPIC)).isFalse();
    }

    @Test
    void aResamplefdThatIsNoEventfdIsRefusedAsEventfdCtxFdgetRefusesIt() {
        ok(kernel.ioctl(vm, KvmIoctl.CREATE_IRQCHIP.code(), 0));
        int irqfd = kernel.eventfd();
        view(KvmIrqStructs.KVM_IRQFD, scratch).set("fd", irqfd).set("gsi", GSI).set("flags", 2).set("resamplefd", 999);
        assertThat(kernel.ioctl(vm, KvmIoctl.IRQFD.code(), scratch)).isEqualTo(Errno.EBADF.negative());
        view(KvmIrqStructs.KVM_IRQFD, scratch).set("fd", irqfd).set("gsi", GSI).set("flags", 2).set("resamplefd", vm);
        assertThat(kernel.ioctl(vm, KvmIoctl.IRQFD.code(), scratch)).isEqualTo(Errno.EINVAL.negative());
    }

    // ---- the guest ----

    private void boot(Controller controller) {
        StructView region = view(KvmStructs.KVM_USERSPACE_MEMORY_REGION, scratch);
        region.set("slot", 0).set("flags", 0).set("guest_phys_addr", 0).set("memory_size", RAM).set("userspace_addr", ram);
        ok(kernel.ioctl(vm, KvmIoctl.SET_USER_MEMORY_REGION.code(), scratch));
        ok(kernel.ioctl(vm, KvmIoctl.CREATE_IRQCHIP.code(), 0));
        vcpu = (int) ok(kernel.ioctl(vm, KvmIoctl.CREATE_VCPU.code(), 0));
        runArea = ok(kernel.mmap(vcpu, ok(kernel.ioctl(system, KvmIoctl.GET_VCPU_MMAP_SIZE.code(), 0)), 0));
        ByteBuffer mem = user(ram, RAM);
        mem.putLong((int) GDT + 8, 0x00CF_9A00_0000_FFFFL).putLong((int) GDT + 16, 0x00CF_9200_0000_FFFFL);
        mem.put((int) CODE, program(controller));
        StructView sregs = StructView.of(KvmStructs.KVM_SREGS, user(scratch, KvmStructs.KVM_SREGS.size()));
        ok(kernel.ioctl(vcpu, KvmIoctl.GET_SREGS.code(), scratch));
        for (String seg : List.of("cs", "ds", "es", "fs", "gs", "ss")) {
            Sregs.Segment s = Sregs.Segment.flat32(seg.equals("cs") ? 8 : 16, seg.equals("cs"));
            sregs.set(seg + ".base", 0).set(seg + ".limit", s.limit()).set(seg + ".selector", s.selector())
                    .set(seg + ".type", s.type()).set(seg + ".present", 1).set(seg + ".dpl", 0).set(seg + ".db", 1)
                    .set(seg + ".s", 1).set(seg + ".l", 0).set(seg + ".g", 1).set(seg + ".avl", 0).set(seg + ".unusable", 0);
        }
        sregs.set("gdt.base", GDT).set("gdt.limit", 23).set("cr0", sregs.get("cr0") | 1);
        ok(kernel.ioctl(vcpu, KvmIoctl.SET_SREGS.code(), scratch));
        StructView regs = view(KvmStructs.KVM_REGS, scratch);
        regs.set("rip", CODE).set("rsp", STACK).set("rflags", 2);
        ok(kernel.ioctl(vcpu, KvmIoctl.SET_REGS.code(), scratch));
    }

    /**
     * The local APIC software-enabled (SVR 1FFh) with LINT0 in ExtINT mode (SDM 3A §11.5.1); then
     * either the I/O APIC entry of pin 10 (level, vector 50h, to APIC 0) with both 8259As masked,
     * or the 8259A pair at 20h/28h with ELCR2 bit 2 and only IRQ 10 and the cascade unmasked. The
     * handler: port 82h, EOI (local APIC EOI register, or non-specific EOI to slave and master),
     * port 83h, and port F4h after the second interrupt.
     */
    private static byte[] program(Controller controller) {
        Assembler a = new Assembler(CODE, 4);
        Label handler = a.label(), idtr = a.label(), loop = a.label(), back = a.label();
        int vector = controller == Controller.IOAPIC ? IOAPIC_VECTOR : PIC_VECTOR;
        a.mov(ESP, STACK);
        long at = IDT + 8L * vector; // an interrupt gate, SDM 3A §6.11
        a.mov(EAX, a.addressOf(handler)).mov(word(at), AX).emit(Mnemonic.SHR, EAX, imm(16)).mov(word(at + 6), AX);
        a.mov(word(at + 2), 0x08).mov(word(at + 4), 0x8E00);
        a.lidt(a.absolute(0, idtr));
        a.mov(dword(APIC + 0xF0), 0x1FF).mov(dword(APIC + 0x350), 0x700);
        if (controller == Controller.IOAPIC) {
            a.mov(AL, 0xFF).out(0x21, AL).out(0xA1, AL);
            a.mov(dword(IOAPIC), 0x10 + 2 * GSI + 1).mov(dword(IOAPIC + 0x10), 0);         // destination APIC 0
            a.mov(dword(IOAPIC), 0x10 + 2 * GSI).mov(dword(IOAPIC + 0x10), 0x8000 | IOAPIC_VECTOR); // level, fixed
        } else {
            int[][] pic = {{0x20, 0x11}, {0x21, 0x20}, {0x21, 0x04}, {0x21, 0x01}, {0x21, 0xFB},
                {0xA0, 0x11}, {0xA1, 0x28}, {0xA1, 0x02}, {0xA1, 0x01}, {0xA1, 0xFB}};
            for (int[] w : pic) {
                a.mov(AL, w[1]).out(w[0], AL);
            }
            a.mov(AL, 1 << (GSI - 8)).mov(DX, 0x4D1).out(DX, AL);
        }
        a.out(READY, AL).sti();
        a.bind(loop).hlt().jmp(loop);
        a.bind(handler).out(BEFORE_EOI, AL);
        if (controller == Controller.IOAPIC) {
            a.mov(dword(APIC + 0xB0), 0);
        } else {
            a.mov(AL, 0x20).out(0xA0, AL).out(0x20, AL);
        }
        a.out(AFTER_EOI, AL).inc(dword(COUNT)).cmp(dword(COUNT), 2).jcc(Condition.B, back);
        a.out(DONE, AL);
        a.bind(back).iret();
        a.bind(idtr).dw(0x7FF).dd(IDT);
        return a.assemble();
    }

    // ---- observing the kernel through the ABI ----

    private long runToIo() {
        long r = kernel.ioctl(vcpu, KvmIoctl.RUN.code(), 0);
        assertThat(r).as("KVM_RUN").isZero();
        StructView run = StructView.of(KvmRunLayout.KVM_RUN, user(runArea, KvmRunLayout.KVM_RUN.size()));
        assertThat(run.get("exit_reason")).as("KVM_EXIT_IO").isEqualTo(2);
        return run.get("io.port");
    }

    private byte[] irqchip(int chip) {
        ByteBuffer b = user(scratch, KvmIrqStructs.KVM_IRQCHIP.size());
        for (int i = 0; i < KvmIrqStructs.KVM_IRQCHIP.size(); i++) {
            b.put(i, (byte) 0);
        }
        b.putInt(0, chip);
        ok(kernel.ioctl(vm, KvmIoctl.GET_IRQCHIP.code(), scratch));
        byte[] out = new byte[(int) KvmIrqStructs.KVM_IRQCHIP.size()];
        b.get(0, out);
        return out;
    }

    /** kvm_ioapic_state.irr (chip 2, offset 8 + 16) bit 10, or kvm_pic_state.irr (chip 1, offset 8 + 1) bit 2. */
    private boolean lineAsserted(Controller controller) {
        if (controller == Controller.IOAPIC) {
            return (ByteBuffer.wrap(irqchip(2)).order(ByteOrder.LITTLE_ENDIAN).getInt(8 + 16) >>> GSI & 1) != 0;
        }
        return (irqchip(1)[8 + 1] >>> (GSI - 8) & 1) != 0;
    }

    /** Remote IRR, bit 14 of redirtbl[10] (kvm_ioapic_state offset 24 + 8 * pin). */
    private boolean remoteIrr() {
        long entry = ByteBuffer.wrap(irqchip(2)).order(ByteOrder.LITTLE_ENDIAN).getLong(8 + 24 + 8 * GSI);
        return (entry >>> 14 & 1) != 0;
    }

    /** The local APIC's IRR bit for {@code vector} (KVM_GET_LAPIC; IRR at 200h, 16 bytes per 32 vectors). */
    private boolean lapicIrr(int vector) {
        ByteBuffer b = user(scratch, KvmStructs.KVM_LAPIC_STATE.size());
        ok(kernel.ioctl(vcpu, KvmIoctl.GET_LAPIC.code(), scratch));
        return (b.getInt(0x200 + 0x10 * (vector / 32)) >>> (vector % 32) & 1) != 0;
    }

    private ByteBuffer user(long address, long length) {
        var region = kernel.memory().regionAt(address, length);
        return region.buffer().slice((int) (address - region.base()), (int) length).order(ByteOrder.LITTLE_ENDIAN);
    }

    private StructView view(StructLayout layout, long address) {
        ByteBuffer b = user(address, layout.size());
        for (int i = 0; i < layout.size(); i++) {
            b.put(i, (byte) 0);
        }
        return StructView.of(layout, b);
    }

    private static long ok(long r) {
        assertThat(r).as("system call result").isGreaterThanOrEqualTo(0);
        return r;
    }
}
