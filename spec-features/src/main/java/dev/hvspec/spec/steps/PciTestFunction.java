package dev.hvspec.spec.steps;

import dev.hvspec.machine.bus.MmioDevice;
import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.vmm.pci.BarLayout;
import dev.hvspec.vmm.pci.MsixCapability;
import dev.hvspec.vmm.pci.PciBar;
import dev.hvspec.vmm.pci.PciConfigSpace;
import dev.hvspec.vmm.pci.PciFunction;

/**
 * A PCI function for exercising the PCI layer itself, with one BAR of each kind and both
 * message-signalled interrupt capabilities:
 * <ul>
 *   <li>BAR0: 32 bytes of I/O space, BAR1: 4 KiB 32-bit memory, BAR2/3: 16 KiB 64-bit
 *       prefetchable memory — all plain read/write scratch storage;</li>
 *   <li>BAR4: 4 KiB 32-bit memory with the MSI-X table (8 vectors) at 0 and the PBA at 0x800;</li>
 *   <li>an MSI capability (4 vectors, 64-bit address, per-vector masking) at 0x40, then the
 *       MSI-X capability; Interrupt Pin INTA#.</li>
 * </ul>
 */
public final class PciTestFunction extends PciFunction {
    public static final int VENDOR_ID = 0x1B36;
    public static final int DEVICE_ID = 0x0005;
    public static final int CLASS_CODE = 0x00FF00; // "device does not fit any defined class"

    public PciTestFunction() {
        super(new PciConfigSpace(VENDOR_ID, DEVICE_ID, CLASS_CODE, 1));
        defineBar(0, PciBar.io(32, new Scratch(32)));
        defineBar(1, PciBar.memory32(4096, new Scratch(4096)));
        defineBar(2, PciBar.memory64(16384, true, new Scratch(16384)));
        setInterruptPin(1);
        addMsiCapability(4, true, true);
        MsixCapability msix = addMsixCapability(8, 4, 0, 4, 0x800);
        defineBar(4, PciBar.memory32(4096, new BarLayout()
                .add(0, MsixCapability.tableBytes(8), msix.tableRegion())
                .add(0x800, MsixCapability.pbaBytes(8), msix.pbaRegion())));
        finishLayout();
    }

    public void assertInterrupt(boolean level) {
        setInterruptState(level);
    }

    public boolean signal(int vector) {
        return signalMessage(vector);
    }

    /** The function masters a memory write (bus-master DMA). */
    public boolean dmaWrite(long address, byte[] data) {
        try {
            dma().write(address, data);
            return true;
        } catch (GuestMemoryFault fault) {
            return false;
        }
    }

    /** Hardware sets Status.Received Master Abort (a W1C bit, PCI 3.0 §6.2.3). */
    public void recordMasterAbort() {
        config.setBits(PciConfigSpace.STATUS, 2, 1 << 13, true);
    }

    @Override
    protected void resetDevice() {
    }

    /** Plain storage decoded by a BAR. */
    private static final class Scratch implements MmioDevice {
        private final byte[] bytes;

        Scratch(int size) {
            bytes = new byte[size];
        }

        @Override
        public synchronized long mmioRead(long offset, int size) {
            long v = 0;
            for (int i = size - 1; i >= 0; i--) {
                long at = offset + i;
                v = v << 8 | (at < bytes.length ? bytes[(int) at] & 0xFF : 0);
            }
            return v;
        }

        @Override
        public synchronized void mmioWrite(long offset, int size, long value) {
            for (int i = 0; i < size; i++) {
                long at = offset + i;
                if (at < bytes.length) {
                    bytes[(int) at] = (byte) (value >>> (8 * i));
                }
            }
        }
    }
}
