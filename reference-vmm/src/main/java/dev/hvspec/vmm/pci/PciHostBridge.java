package dev.hvspec.vmm.pci;

import dev.hvspec.machine.bus.IrqLine;
import dev.hvspec.machine.bus.MmioDevice;
import dev.hvspec.machine.bus.PortIoDevice;
import dev.hvspec.machine.memory.GuestMemory;
import dev.hvspec.vmm.bus.IoPortBus;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A PCI host bridge with bus 0 behind it: the CPU's way into configuration space (mechanism #1
 * and ECAM) and into the BARs of the functions (an I/O window and memory windows).
 *
 * <h2>Wiring into a board</h2>
 * <pre>{@code
 * PciHostBridge pci = new PciHostBridge(ram, msiToApic, IntxRouter.swizzled(pirqA, pirqB, pirqC, pirqD, -1));
 * pci.registerConfigPorts(ioPorts);                   // 0xCF8 (CONFIG_ADDRESS), 0xCFC-0xCFF (CONFIG_DATA)
 * ioPorts.register(0xC000, 0x4000, pci.ioSpace());    // I/O BARs are decoded inside this window
 * mmio.map(0xE000_0000L, 0x1000_0000L, pci.ecam());   // ECAM: 1 MiB per bus, 4 KiB per function
 * mmio.map(0xC000_0000L, 0x2000_0000L, pci.memorySpace(0xC000_0000L)); // memory BARs in this window
 * pci.attach(3, 0, virtioNet);                        // device 3, function 0
 * }</pre>
 * The bridge decodes a BAR only where the board routes accesses to it; BARs programmed outside
 * the windows are simply not reachable, as on real hardware.
 *
 * <h2>Configuration mechanism #1 (PCI Local Bus 3.0 §3.2.2.3.2)</h2>
 * CONFIG_ADDRESS at 0xCF8 is latched only by DWORD writes; bit 31 enables, bits 23:16 bus,
 * 15:11 device, 10:8 function, 7:2 register; bits 30:24 and 1:0 read as 0. Byte and word
 * accesses to 0xCF8-0xCFB are "normal I/O transactions": they go to the optional fallback device
 * (a board's reset control register at 0xCF9, for example). CONFIG_DATA at 0xCFC-0xCFF accepts
 * byte, word and DWORD accesses to the bytes of the addressed DWORD. With bit 31 clear, or for
 * a function that does not exist, reads return all ones (master abort) and writes are dropped.
 *
 * <h2>ECAM (PCI Express Base Specification 4.0 §7.2.2)</h2>
 * Offset bits 27:20 bus, 19:15 device, 14:12 function, 11:0 register. The functions are
 * conventional PCI functions with 256 bytes of configuration space; like QEMU, the extended
 * range 100h-FFFh reads as all ones.
 */
public final class PciHostBridge {
    public static final int CONFIG_ADDRESS = 0xCF8;
    public static final int CONFIG_DATA = 0xCFC;
    public static final long ECAM_BYTES_PER_BUS = 1L << 20;

    private final PciFunction[][] bus0 = new PciFunction[32][8];
    private final GuestMemory memory;
    private final MsiSink msiSink;
    private final IntxRouter router;
    private final Map<IrqLine, WiredOrIrqLine> sharedLines = new IdentityHashMap<>();
    private PortIoDevice configAddressFallback;
    private int configAddress;

    /**
     * @param memory what functions DMA into (the VM's RAM)
     * @param msiSink where MSI and MSI-X messages go (the APIC bus)
     * @param router the board's INTx# wiring
     */
    public PciHostBridge(GuestMemory memory, MsiSink msiSink, IntxRouter router) {
        this(memory, msiSink, router, new PciHostBridgeFunction());
    }

    /** A host bridge whose own header at 00:00.0 is {@code identity} (e.g. a chipset's). */
    public PciHostBridge(GuestMemory memory, MsiSink msiSink, IntxRouter router, PciFunction identity) {
        this.memory = memory;
        this.msiSink = msiSink;
        this.router = router;
        attach(0, 0, identity);
    }

    /** Puts {@code fn} at bus 0, {@code device}.{@code function} and connects its DMA and interrupts. */
    public synchronized void attach(int device, int function, PciFunction fn) {
        new PciAddress(0, device, function); // validates the numbers
        if (bus0[device][function] != null) {
            throw new IllegalStateException("PCI slot " + new PciAddress(0, device, function) + " is taken");
        }
        bus0[device][function] = fn;
        int pin = fn.configSpace().getValue(PciConfigSpace.INTERRUPT_PIN, 1);
        IrqLine input = IrqLine.UNCONNECTED;
        if (pin >= 1 && pin <= 4) {
            IrqLine line = router.route(device, pin);
            input = sharedLines.computeIfAbsent(line, WiredOrIrqLine::new).newInput();
        }
        fn.connect(memory, msiSink, input);
        if (function != 0 && bus0[device][0] != null) {
            bus0[device][0].configSpace().setMultiFunction(true); // §6.2.1: header type bit 7
        }
        if (function == 0) {
            for (int f = 1; f < 8; f++) {
                if (bus0[device][f] != null) {
                    fn.configSpace().setMultiFunction(true);
                }
            }
        }
    }

    /** Attaches at the lowest free device number (function 0) and returns that number. */
    public synchronized int attach(PciFunction fn) {
        for (int d = 1; d < 32; d++) {
            if (bus0[d][0] == null) {
                attach(d, 0, fn);
                return d;
            }
        }
        throw new IllegalStateException("bus 0 is full");
    }

    public synchronized PciFunction function(int device, int function) {
        return bus0[device & 31][function & 7];
    }

    /** Non-DWORD accesses to 0xCF8-0xCFB go here (PCI 3.0 §3.2.2.3.2); unclaimed by default. */
    public synchronized void setConfigAddressFallback(PortIoDevice fallback) {
        this.configAddressFallback = fallback;
    }

    /** Registers CONFIG_ADDRESS (0xCF8-0xCFB) and CONFIG_DATA (0xCFC-0xCFF) on a port bus. */
    public void registerConfigPorts(IoPortBus ports) {
        ports.register(CONFIG_ADDRESS, 4, configAddressPort());
        ports.register(CONFIG_DATA, 4, configDataPort());
    }

    // ---- configuration transactions ----

    /** A configuration read as the bridge issues it; all ones when nothing responds. */
    public int configRead(int bus, int device, int function, int offset, int size) {
        PciFunction fn = target(bus, device, function);
        if (fn == null || offset >= PciConfigSpace.SIZE) {
            return PortIoDevice.allOnes(size);
        }
        return fn.configRead(offset, size);
    }

    public void configWrite(int bus, int device, int function, int offset, int size, int value) {
        PciFunction fn = target(bus, device, function);
        if (fn != null && offset < PciConfigSpace.SIZE) {
            fn.configWrite(offset, size, value);
        }
    }

    private synchronized PciFunction target(int bus, int device, int function) {
        return bus == 0 ? bus0[device & 31][function & 7] : null; // no bridges: other buses are empty
    }

    public PortIoDevice configAddressPort() {
        return new PortIoDevice() {
            @Override
            public int ioRead(int port, int size) {
                if (port == CONFIG_ADDRESS && size == 4) {
                    synchronized (PciHostBridge.this) {
                        return configAddress;
                    }
                }
                PortIoDevice f = fallback();
                return f == null ? PortIoDevice.allOnes(size) : f.ioRead(port, size);
            }

            @Override
            public void ioWrite(int port, int size, int value) {
                if (port == CONFIG_ADDRESS && size == 4) {
                    synchronized (PciHostBridge.this) {
                        configAddress = value & 0x80FF_FFFC; // bits 30:24 reserved, 1:0 hardwired 0
                    }
                    return;
                }
                PortIoDevice f = fallback();
                if (f != null) {
                    f.ioWrite(port, size, value);
                }
            }
        };
    }

    private synchronized PortIoDevice fallback() {
        return configAddressFallback;
    }

    public PortIoDevice configDataPort() {
        return new PortIoDevice() {
            @Override
            public int ioRead(int port, int size) {
                int address = currentConfigAddress();
                int lane = (port - CONFIG_DATA) & 3;
                if ((address & 0x8000_0000) == 0) {
                    return PortIoDevice.allOnes(size);
                }
                // Bytes beyond the addressed DWORD are not part of the configuration transaction.
                int valid = Math.min(size, 4 - lane);
                int v = readAt(address, lane, valid);
                return valid == size ? v : v | highOnes(valid, size);
            }

            @Override
            public void ioWrite(int port, int size, int value) {
                int address = currentConfigAddress();
                int lane = (port - CONFIG_DATA) & 3;
                if ((address & 0x8000_0000) == 0) {
                    return;
                }
                int bytes = Math.min(size, 4 - lane);
                configWrite(busOf(address), deviceOf(address), functionOf(address), (address & 0xFC) + lane,
                        bytes, value);
            }

            private int readAt(int address, int lane, int size) {
                return configRead(busOf(address), deviceOf(address), functionOf(address), (address & 0xFC) + lane, size);
            }
        };
    }

    private static int highOnes(int validBytes, int size) {
        return PortIoDevice.allOnes(size) & ~PortIoDevice.allOnes(validBytes);
    }

    private synchronized int currentConfigAddress() {
        return configAddress;
    }

    private static int busOf(int address) {
        return (address >>> 16) & 0xFF;
    }

    private static int deviceOf(int address) {
        return (address >>> 11) & 0x1F;
    }

    private static int functionOf(int address) {
        return (address >>> 8) & 0x7;
    }

    /** The ECAM window (1 MiB per bus, 4 KiB per function), mapped by the board at its base. */
    public MmioDevice ecam() {
        return new MmioDevice() {
            @Override
            public long mmioRead(long offset, int size) {
                if (size == 8) {
                    return (mmioRead(offset, 4) & 0xFFFF_FFFFL) | (mmioRead(offset + 4, 4) & 0xFFFF_FFFFL) << 32;
                }
                int reg = (int) (offset & 0xFFF);
                if ((reg & 3) + size > 4) {
                    return splitRead(offset, size);
                }
                return configRead((int) (offset >>> 20) & 0xFF, (int) (offset >>> 15) & 0x1F,
                        (int) (offset >>> 12) & 0x7, reg, size) & 0xFFFF_FFFFL;
            }

            @Override
            public void mmioWrite(long offset, int size, long value) {
                if (size == 8) {
                    mmioWrite(offset, 4, value);
                    mmioWrite(offset + 4, 4, value >>> 32);
                    return;
                }
                int reg = (int) (offset & 0xFFF);
                if ((reg & 3) + size > 4) {
                    for (int i = 0; i < size; i++) {
                        mmioWrite(offset + i, 1, value >>> (8 * i));
                    }
                    return;
                }
                configWrite((int) (offset >>> 20) & 0xFF, (int) (offset >>> 15) & 0x1F,
                        (int) (offset >>> 12) & 0x7, reg, size, (int) value);
            }

            private long splitRead(long offset, int size) {
                long v = 0;
                for (int i = size - 1; i >= 0; i--) {
                    v = v << 8 | (mmioRead(offset + i, 1) & 0xFF);
                }
                return v;
            }
        };
    }

    // ---- BAR decoding ----

    /** The I/O window: accesses are routed by absolute port number to the I/O BAR holding it. */
    public PortIoDevice ioSpace() {
        return new PortIoDevice() {
            @Override
            public int ioRead(int port, int size) {
                PciFunction.DecodedBar bar = decode(port, true);
                return bar == null ? PortIoDevice.allOnes(size)
                        : (int) bar.bar().region().mmioRead(port - bar.base(), size);
            }

            @Override
            public void ioWrite(int port, int size, int value) {
                PciFunction.DecodedBar bar = decode(port, true);
                if (bar != null) {
                    bar.bar().region().mmioWrite(port - bar.base(), size, value & 0xFFFF_FFFFL);
                }
            }
        };
    }

    /** A memory window starting at guest-physical {@code windowBase}, as the board maps it. */
    public MmioDevice memorySpace(long windowBase) {
        return new MmioDevice() {
            @Override
            public long mmioRead(long offset, int size) {
                long address = windowBase + offset;
                PciFunction.DecodedBar bar = decode(address, false);
                if (bar == null) {
                    return size >= 8 ? -1L : (1L << (8 * size)) - 1; // master abort: all ones
                }
                return bar.bar().region().mmioRead(address - bar.base(), size);
            }

            @Override
            public void mmioWrite(long offset, int size, long value) {
                long address = windowBase + offset;
                PciFunction.DecodedBar bar = decode(address, false);
                if (bar != null) {
                    bar.bar().region().mmioWrite(address - bar.base(), size, value);
                }
            }
        };
    }

    /** The decoded BAR holding {@code address}, in device order; null if none claims it. */
    public PciFunction.DecodedBar decode(long address, boolean io) {
        for (int d = 0; d < 32; d++) {
            for (int f = 0; f < 8; f++) {
                PciFunction fn = function(d, f);
                if (fn == null) {
                    continue;
                }
                for (PciFunction.DecodedBar bar : fn.decodedBars()) {
                    if ((bar.bar().kind() == PciBar.Kind.IO) == io && bar.contains(address)) {
                        return bar;
                    }
                }
            }
        }
        return null;
    }

    /** RST# to every function on the bus, and CONFIG_ADDRESS cleared. */
    public void reset() {
        synchronized (this) {
            configAddress = 0;
        }
        for (int d = 0; d < 32; d++) {
            for (int f = 0; f < 8; f++) {
                PciFunction fn = function(d, f);
                if (fn != null) {
                    fn.reset();
                }
            }
        }
    }
}
