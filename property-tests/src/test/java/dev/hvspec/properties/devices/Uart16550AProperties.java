package dev.hvspec.properties.devices;

import dev.hvspec.machine.bus.IrqLine;
import dev.hvspec.machine.time.ManualClock;
import dev.hvspec.machine.time.TimerQueue;
import dev.hvspec.vmm.devices.Uart16550A;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PC16550D receiver FIFO in loopback (datasheet §8.4, §8.5, §8.8): whatever the guest
 * transmits in loopback comes back in order; the first 16 characters fit, every further one sets
 * OE and is lost; LSR.DR is set exactly while characters remain.
 */
class Uart16550AProperties {
    private static final int BASE = 0x3F8;

    @Property(tries = 1000)
    @Label("loopback FIFO returns the first 16 characters in order, overruns lose the rest")
    @Tag("pc16550d-8.4") @Tag("pc16550d-8.5") @Tag("pc16550d-8.8")
    void loopbackFifoKeepsOrderAndReportsOverrun(@ForAll @Size(max = 40) List<Byte> sent) {
        Uart16550A uart = new Uart16550A(BASE, IrqLine.UNCONNECTED, b -> { }, new TimerQueue(new ManualClock()));
        uart.ioWrite(BASE + Uart16550A.IIR_FCR, 1, 0x01); // FIFO mode
        uart.ioWrite(BASE + Uart16550A.MCR, 1, 0x10);     // loopback
        for (byte b : sent) {
            uart.ioWrite(BASE + Uart16550A.RBR_THR_DLL, 1, b & 0xFF);
        }

        int lsr = uart.ioRead(BASE + Uart16550A.LSR, 1);
        assertThat((lsr & 0x02) != 0).as("OE").isEqualTo(sent.size() > Uart16550A.FIFO_DEPTH);
        assertThat((lsr & 0x01) != 0).as("DR").isEqualTo(!sent.isEmpty());

        List<Integer> received = new ArrayList<>();
        while ((uart.ioRead(BASE + Uart16550A.LSR, 1) & 0x01) != 0) {
            received.add(uart.ioRead(BASE + Uart16550A.RBR_THR_DLL, 1));
            assertThat(received).hasSizeLessThanOrEqualTo(Uart16550A.FIFO_DEPTH);
        }
        List<Integer> expected = sent.stream().limit(Uart16550A.FIFO_DEPTH).map(b -> b & 0xFF).toList();
        assertThat(received).isEqualTo(expected);
    }
}
