package dev.hvspec.machine.chipset;

import dev.hvspec.machine.time.ManualClock;
import dev.hvspec.machine.time.TimerQueue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Four vCPU threads send fixed IPIs to each other through the ICR while taking and EOI-ing their
 * own, with the 8259A and an I/O APIC level interrupt (EOI broadcasts) in the mix: no deadlock,
 * and every IPI a CPU sends after its target has drained is taken (SDM 3A §11.6.1: each vector is
 * one IRR bit, so each round of the test uses a new vector per sender).
 */
class ApicBusConcurrencyTest {
    private static final int CPUS = 4;
    private static final int ROUNDS = 300;

    @Test
    void fourCpusExchangeIpisWithoutDeadlock() throws Exception {
        TimerQueue timers = new TimerQueue(new ManualClock());
        PcInterruptControllers pc = new PcInterruptControllers(timers, Ioapic82093AA.Version.I82093AA);
        List<LocalApic> apics = new ArrayList<>();
        for (int id = 0; id < CPUS; id++) {
            LocalApic apic = pc.addCpu(LocalApicConfig.of(id, id == 0));
            apic.mmioWrite(LocalApicRegisters.SVR, 4, 0x1FF);
            apics.add(apic);
        }
        // I/O APIC pin 16: level-triggered vector 0xE0 to CPU 0, so EOIs travel back to the I/O APIC.
        pc.ioapic().mmioWrite(Ioapic82093AA.IOREGSEL, 4, 0x11 + 2 * 16);
        pc.ioapic().mmioWrite(Ioapic82093AA.IOWIN, 4, 0);
        pc.ioapic().mmioWrite(Ioapic82093AA.IOREGSEL, 4, 0x10 + 2 * 16);
        pc.ioapic().mmioWrite(Ioapic82093AA.IOWIN, 4, 0x80E0);
        var deviceLine = pc.gsi().newLine(16);

        AtomicIntegerArray taken = new AtomicIntegerArray(CPUS);
        CyclicBarrier barrier = new CyclicBarrier(CPUS);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int cpu = 0; cpu < CPUS; cpu++) {
            int me = cpu;
            Thread thread = new Thread(() -> {
                try {
                    LocalApic apic = apics.get(me);
                    for (int round = 0; round < ROUNDS; round++) {
                        int target = (me + 1 + round % (CPUS - 1)) % CPUS;
                        int vector = 0x40 + me * 0x10 + round % 0x10;
                        apic.mmioWrite(LocalApicRegisters.ICR_HIGH, 4, (long) target << 24);
                        apic.mmioWrite(LocalApicRegisters.ICR_LOW, 4, vector);
                        if (me == 0) {
                            deviceLine.setLevel(round % 2 == 0);
                        }
                        while (apic.hasInterrupt()) {
                            int got = apic.acknowledgeInterrupt();
                            taken.incrementAndGet(me);
                            if (got == 0xE0) {
                                deviceLine.setLevel(false); // the driver quiets the device before EOI
                            }
                            apic.mmioWrite(LocalApicRegisters.EOI, 4, 0);
                        }
                        if (round % 50 == 0) {
                            barrier.await(10, TimeUnit.SECONDS);
                        }
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }, "vcpu-" + me);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
            if (thread.isAlive()) {
                StringBuilder dump = new StringBuilder();
                for (var info : java.lang.management.ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
                    dump.append(info);
                }
                assertThat(thread.isAlive()).as("%s finished (no deadlock):%n%s", thread.getName(), dump).isFalse();
            }
        }
        assertThat(failures).isEmpty();
        deviceLine.setLevel(false);
        for (int cpu = 0; cpu < CPUS; cpu++) {
            LocalApic apic = apics.get(cpu);
            while (apic.hasInterrupt()) {
                apic.acknowledgeInterrupt();
                taken.incrementAndGet(cpu);
                apic.mmioWrite(LocalApicRegisters.EOI, 4, 0);
            }
            for (int word = 0; word < 8; word++) {
                assertThat(apic.register(LocalApicRegisters.ISR + 16 * word)).as("CPU %d ISR", cpu).isZero();
            }
            assertThat(taken.get(cpu)).as("interrupts CPU %d took", cpu).isPositive();
        }
    }
}
