package dev.hvspec.spec.steps;

import dev.hvspec.machine.bus.MmioDevice;
import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.machine.memory.GuestRam;
import dev.hvspec.vmm.pci.IntxRouter;
import dev.hvspec.vmm.pci.PciHostBridge;

import java.util.ArrayList;
import java.util.List;

/**
 * The physical address space of a {@code @model} PCI scenario: 16 MiB of RAM at 0, a PCI host
 * bridge with its configuration ports on the {@link ModelBench} port bus, an I/O window at
 * 0xC000-0xFFFF, a memory window at 0xC000_0000-0xDFFF_FFFF and ECAM at 0xE000_0000 (bus 0 to
 * 255). MSI messages are recorded. One per scenario.
 */
public final class PciBench {
    public static final long RAM_BYTES = 16 << 20;
    public static final int IO_WINDOW = 0xC000;
    public static final long MEMORY_WINDOW = 0xC000_0000L;
    public static final long MEMORY_WINDOW_BYTES = 0x2000_0000L;
    public static final long ECAM_BASE = 0xE000_0000L;
    public static final long ECAM_BYTES = 0x1000_0000L;

    /** One MSI/MSI-X message as it reached the interrupt controller side. */
    public record Message(long address, int data) {
        @Override
        public String toString() {
            return String.format("0x%X:0x%X", address, data);
        }
    }

    private record Window(long base, long size, MmioDevice device) {
    }

    final ModelBench bench;
    final GuestRam ram = GuestRam.ofSize((int) RAM_BYTES);
    final List<Message> messages = new ArrayList<>();
    private final List<Window> windows = new ArrayList<>();
    private PciHostBridge bridge;

    public PciBench(ModelBench bench) {
        this.bench = bench;
    }

    /** Creates the host bridge with PIRQA..D wired to the given bench IRQ wires (bias -1, as QEMU's i440FX). */
    PciHostBridge createBridge(int pirqA, int pirqB, int pirqC, int pirqD) {
        bridge = new PciHostBridge(ram, (address, data) -> {
            synchronized (messages) {
                messages.add(new Message(address, data));
            }
        }, IntxRouter.swizzled(bench.irq(pirqA), bench.irq(pirqB), bench.irq(pirqC), bench.irq(pirqD), -1));
        bridge.registerConfigPorts(bench.ports);
        bench.ports.register(IO_WINDOW, 0x10000 - IO_WINDOW, bridge.ioSpace());
        windows.add(new Window(MEMORY_WINDOW, MEMORY_WINDOW_BYTES, bridge.memorySpace(MEMORY_WINDOW)));
        windows.add(new Window(ECAM_BASE, ECAM_BYTES, bridge.ecam()));
        return bridge;
    }

    PciHostBridge bridge() {
        if (bridge == null) {
            createBridge(16, 17, 18, 19);
        }
        return bridge;
    }

    /** A CPU memory read: MMIO windows first, then RAM; unclaimed addresses read all ones. */
    long readMemory(long address, int size) {
        for (Window w : windows) {
            if (address >= w.base && address - w.base < w.size) {
                return w.device.mmioRead(address - w.base, size);
            }
        }
        try {
            byte[] b = ram.read(address, size);
            long v = 0;
            for (int i = size - 1; i >= 0; i--) {
                v = v << 8 | (b[i] & 0xFF);
            }
            return v;
        } catch (GuestMemoryFault fault) {
            return size >= 8 ? -1L : (1L << (8 * size)) - 1;
        }
    }

    void writeMemory(long address, int size, long value) {
        for (Window w : windows) {
            if (address >= w.base && address - w.base < w.size) {
                w.device.mmioWrite(address - w.base, size, value);
                return;
            }
        }
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (value >>> (8 * i));
        }
        try {
            ram.write(address, b);
        } catch (GuestMemoryFault fault) {
            // a write to nothing is dropped
        }
    }

    /** Registers another MMIO region (a virtio-mmio device, say). */
    void mapMmio(long base, long size, MmioDevice device) {
        windows.add(0, new Window(base, size, device));
    }

    /** Configuration access via mechanism #1 as a guest does it: OUT to 0xCF8, then IN/OUT at 0xCFC+. */
    int configRead(int device, int function, int offset, int size) {
        bench.ports.write(PciHostBridge.CONFIG_ADDRESS, 4, configAddress(device, function, offset));
        return bench.ports.read(PciHostBridge.CONFIG_DATA + (offset & 3), size);
    }

    void configWrite(int device, int function, int offset, int size, int value) {
        bench.ports.write(PciHostBridge.CONFIG_ADDRESS, 4, configAddress(device, function, offset));
        bench.ports.write(PciHostBridge.CONFIG_DATA + (offset & 3), size, value);
    }

    static int configAddress(int device, int function, int offset) {
        return 0x8000_0000 | device << 11 | function << 8 | (offset & 0xFC);
    }

    static long ecamAddress(int device, int function, int offset) {
        return ECAM_BASE + ((long) device << 15) + ((long) function << 12) + offset;
    }

    List<Message> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }
}
