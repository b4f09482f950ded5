package dev.hvspec.vmm.io;

import dev.hvspec.kvm.HostKernel;
import dev.hvspec.kvm.KvmStats;
import dev.hvspec.machine.cpu.isa.Assembler;
import dev.hvspec.machine.cpu.isa.Condition;
import dev.hvspec.machine.cpu.isa.Label;
import dev.hvspec.vmm.PcBoard;
import dev.hvspec.vmm.kvm.Exit;
import dev.hvspec.vmm.kvm.Sregs;
import dev.hvspec.vmm.kvm.Vcpu;
import dev.hvspec.vmm.virtio.blk.MemoryBlockBackend;
import dev.hvspec.vmm.virtio.blk.VirtioBlk;
import dev.hvspec.vmm.virtio.driver.GuestAllocator;
import dev.hvspec.vmm.virtio.driver.SplitRingDriver;
import dev.hvspec.vmm.virtio.driver.VirtioMmioDriver;
import dev.hvspec.vmm.virtio.mmio.VirtioMmioDevice;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.hvspec.machine.cpu.isa.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Virtio-mmio QueueNotify on KVM_IOEVENTFD, on a PC board, with a guest that does the
 * notifications. QueueNotify is the 32-bit register at 050h of the register block, written with
 * the queue index (virtio 1.3 §4.2.2); the registration is MMIO, base + 050h, length 4, datamatch
 * = index (as QEMU's virtio-mmio), from DRIVER_OK until a reset.
 *
 * <p>The end-to-end runs: the host side sets up virtio-blk queue 0 as a driver would and places
 * 8 read requests in the available ring without publishing them; the guest (flat 32-bit) then, 8
 * times, increments avail->idx and writes 0 to QueueNotify, and waits for used->idx to reach 8.
 * kvm_stat shows the cost per request: on the trap path each notification is one MMIO exit to
 * userspace; on the fast path none exits and each is one ioeventfd signal.
 */
@Tag("kvm-api-4.59")
@Tag("virtio-1.3-4.2.2")
class VirtioMmioIoEventFdsTest {
    static final long BASE = 0xD000_0000L;
    static final int IRQ = 5;
    static final int REQUESTS = 8;
    static final long CODE = 0x1000, STACK = 0x8000, BUFFERS = 0x40_0000;

    private static PcBoard board(boolean ioeventfd) {
        PcBoard board = new PcBoard(HostKernel.modern(), 16 << 20, 1, OutputStream.nullOutputStream(),
                PcBoard.IrqchipMode.KERNEL);
        if (ioeventfd) {
            assertThat(board.useIoEventFds()).isTrue();
        }
        return board;
    }

    private static VirtioMmioDriver driver(PcBoard board) {
        return new VirtioMmioDriver(VirtioMmioDriver.bus((a, s) -> board.mmio().read(a, (int) s),
                (a, s, v) -> board.mmio().write(a, s, v)), BASE, board.ram());
    }

    private static VirtioMmioDevice disk(PcBoard board) {
        MemoryBlockBackend backend = new MemoryBlockBackend(64 * 512);
        return board.attachVirtioMmio(new VirtioBlk(backend), BASE, IRQ);
    }

    @Test
    void registeredAtDriverOkWithTheQueueIndexAsDatamatchAndGoneAfterAReset() throws Exception {
        try (PcBoard board = board(true)) {
            VirtioMmioDevice dev = disk(board);
            VirtioMmioDriver d = driver(board);
            VirtioMmioIoEventFds fast = board.mmioIoEventFds();
            assertThat(d.negotiate(1L << 32)).isTrue();
            d.setUpQueue(0, 32, new GuestAllocator(0x10_0000, 0x20_0000));
            assertThat(fast.registeredQueues(dev)).as("before DRIVER_OK").isEmpty();
            d.driverOk();
            assertThat(fast.registeredQueues(dev)).containsExactly(0);
            assertThat(fast.assignments()).isEqualTo(1);
            d.writeStatus(0); // §4.2.2.1: reset
            assertThat(fast.registeredQueues(dev)).isEmpty();
            d.negotiate(1L << 32);
            d.setUpQueue(0, 32, new GuestAllocator(0x20_0000, 0x30_0000));
            d.driverOk();
            assertThat(fast.registeredQueues(dev)).containsExactly(0);
            assertThat(fast.assignments()).as("registered again after the reset").isEqualTo(2);
            d.write(VirtioMmioDevice.QUEUE_SEL, 0);
            d.write(VirtioMmioDevice.QUEUE_READY, 0); // the queue disabled (§4.2.2.2)
            assertThat(fast.registeredQueues(dev)).isEmpty();
        }
    }

    @Test
    void notificationDataKeepsQueueNotifyOnTheTrapPath() throws Exception {
        // §4.2.3.3: with VIRTIO_F_NOTIFICATION_DATA the driver writes vqn | next_idx << 16, so a
        // datamatch on the bare index would miss most notifications: no ioeventfd is registered.
        try (PcBoard board = board(true)) {
            VirtioMmioDevice dev = board.attachVirtioMmio(new VirtioBlk(new MemoryBlockBackend(64 * 512)), BASE, IRQ,
                    new dev.hvspec.vmm.virtio.VirtioDeviceOptions(false, true));
            VirtioMmioDriver d = driver(board);
            VirtioMmioIoEventFds fast = board.mmioIoEventFds();
            assertThat(d.negotiate((1L << 32) | (1L << 38))).isTrue();
            d.setUpQueue(0, 32, new GuestAllocator(0x10_0000, 0x20_0000));
            d.driverOk();
            assertThat(fast.registeredQueues(dev)).isEmpty();
            assertThat(fast.assignments()).isZero();
        }
    }

    @ParameterizedTest(name = "ioeventfd {0}")
    @ValueSource(booleans = {false, true})
    @Timeout(60)
    void aGuestsNotificationsExitOnlyOnTheTrapPath(boolean ioeventfd) throws Exception {
        try (PcBoard board = board(ioeventfd)) {
            VirtioMmioDevice dev = disk(board);
            VirtioMmioDriver d = driver(board);
            assertThat(d.negotiate(1L << 32)).isTrue();
            SplitRingDriver queue = d.setUpQueue(0, 32, new GuestAllocator(0x10_0000, 0x20_0000));
            d.driverOk();
            List<Long> statuses = placeReads(board, queue);
            board.ram().write(CODE, guest(queue.layout().availRing() + 2, queue.layout().usedRing() + 2));

            Map<String, Long> before = board.stats();
            runToDebugExit(board);
            Map<String, Long> after = board.stats();

            assertThat(queue.takeUsed()).hasSize(REQUESTS);
            for (long status : statuses) {
                byte[] b = new byte[1];
                board.ram().read(status, b, 0, 1);
                assertThat(b[0]).as("VIRTIO_BLK_S_OK").isZero();
            }
            long mmioExits = after.getOrDefault(KvmStats.MMIO_EXITS, 0L) - before.getOrDefault(KvmStats.MMIO_EXITS, 0L);
            long signals = after.getOrDefault(KvmStats.IOEVENTFD_SIGNALS, 0L)
                    - before.getOrDefault(KvmStats.IOEVENTFD_SIGNALS, 0L);
            if (ioeventfd) {
                assertThat(mmioExits).as("MMIO exits per request on the fast path").isZero();
                assertThat(signals).as("one ioeventfd signal per notification").isEqualTo(REQUESTS);
            } else {
                assertThat(mmioExits).as("one MMIO exit per notification on the trap path").isEqualTo(REQUESTS);
                assertThat(signals).isZero();
                assertThat(dev.core().notifications()).isEqualTo(REQUESTS);
            }
        }
    }

    /** 8 virtio-blk IN requests (§5.2.6: 16-byte header, 512 data bytes, status byte) for sectors 0-7, placed unpublished. */
    private static List<Long> placeReads(PcBoard board, SplitRingDriver queue) throws Exception {
        GuestAllocator buffers = new GuestAllocator(BUFFERS, BUFFERS + 0x10_0000);
        List<Long> statuses = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            long header = buffers.allocate(16, 16);
            long data = buffers.allocate(512, 16);
            long status = buffers.allocate(1, 1);
            byte[] h = new byte[16];
            h[8] = (byte) i; // sector, little-endian u64 at offset 8
            board.ram().write(header, h, 0, 16);
            board.ram().write(status, new byte[] {(byte) 0xEE}, 0, 1);
            queue.add(List.of(new SplitRingDriver.Element(header, 16, false),
                    new SplitRingDriver.Element(data, 512, true), new SplitRingDriver.Element(status, 1, true)));
            statuses.add(status);
        }
        return statuses;
    }

    /**
     * Flat 32-bit guest: 8 times { avail->idx += 1; LOCKed OR as the barrier (§2.7.13.3.1);
     * QueueNotify := 0 }, then spin (with a locked barrier) until used->idx = 8, then port F4h.
     */
    private static byte[] guest(long availIdx, long usedIdx) {
        Assembler a = new Assembler(CODE, 4);
        Label loop = a.label(), wait = a.label();
        a.mov(ESP, STACK).mov(ECX, REQUESTS);
        a.bind(loop).add(word(availIdx), 1).lock().or(dword(STACK - 4), 0).mov(dword(BASE + 0x50), 0);
        a.dec(ECX).jcc(Condition.NE, loop);
        a.bind(wait).lock().or(dword(STACK - 4), 0).cmp(word(usedIdx), REQUESTS).jcc(Condition.NE, wait);
        a.mov(EAX, 0).out(0xF4, AL).hlt();
        return a.assemble();
    }

    /** The VMM's part of KVM_RUN for this guest: MMIO exits to the board's bus, until port F4h. */
    private static void runToDebugExit(PcBoard board) {
        Vcpu vcpu = board.vcpus().get(0);
        Sregs s = vcpu.sregs();
        vcpu.setSregs(s.withSegments(Sregs.Segment.flat32(8, true), Sregs.Segment.flat32(16, false)).withCr0(s.cr0() | 1));
        vcpu.setRegs(vcpu.regs().withRip(CODE).withRsp(STACK).withRflags(2));
        for (int exits = 0; exits < 10_000; exits++) {
            Exit e = vcpu.run();
            switch (e) {
                case Exit.Mmio m when m.write() -> board.mmio().write(m.address(), m.length(), m.data());
                case Exit.Io io when io.port() == 0xF4 -> {
                    return;
                }
                default -> throw new AssertionError("unexpected exit " + e);
            }
        }
        throw new AssertionError("the guest did not finish");
    }
}
