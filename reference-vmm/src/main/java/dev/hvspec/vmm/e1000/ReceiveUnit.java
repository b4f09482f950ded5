package dev.hvspec.vmm.e1000;

import dev.hvspec.machine.memory.GuestMemory;
import dev.hvspec.machine.memory.GuestMemoryFault;

import java.util.Arrays;
import java.util.zip.CRC32;

import static dev.hvspec.vmm.e1000.E1000Registers.*;

/**
 * The receive side of the 82540EM (8254x SDM §3.2): filters a frame from the wire, stores it in
 * the buffers of the receive descriptor ring and writes the descriptors back.
 *
 * <h2>Rules, in order</h2>
 * <ol>
 *   <li>Nothing is received while RCTL.EN is clear or the link is down.</li>
 *   <li>Frames shorter than the Ethernet minimum are padded with zeros to 60 bytes (64 on the
 *       wire): the sending MAC pads, IEEE 802.3 §4.2.3.3; the backend may hand short frames.</li>
 *   <li>TPR and TOR count every frame; then destination filtering ({@link ReceiveFilter}) and
 *       VLAN filtering (RCTL.VFE with the VFTA, RCTL.CFIEN/CFI) drop what does not pass.</li>
 *   <li>"Packets over 1522 bytes are oversized if LongPacketEnable is 0b (RCTL.LPE). If
 *       LongPacketEnable is 1b, then an incoming packet is considered oversized if it exceeds
 *       16384 bytes", lengths counted with the CRC (§13.7.36): oversized frames are dropped and
 *       counted in ROC and RLEC. No buffer is ever written past its size (CVE-2012-6075).</li>
 *   <li>With CTRL.VME, an 802.1Q tag (EtherType = VET) is stripped into the descriptor's Special
 *       field and status VP is set.</li>
 *   <li>With RCTL.SECRC clear the 4-byte FCS (CRC-32 of IEEE 802.3 §3.2.9) is appended, since the
 *       backend's frames carry none.</li>
 *   <li>The frame is split over buffers of the RCTL.BSIZE/BSEX size; the last descriptor gets
 *       EOP. Software owns descriptors from RDT to RDH - 1, hardware from RDH to RDT - 1 (§3.2.6).
 *       If the frame needs more descriptors than hardware owns the frame is missed: the model has
 *       no receive FIFO to park it in, so it counts MPC (and RNBC when RDH = RDT) and raises RXO.</li>
 *   <li>Each descriptor gets its length, packet checksum, status (DD, EOP, VP, IXSM/IPCS/TCPCS,
 *       PIF), errors and special written back after its data; RDH advances.</li>
 *   <li>When the free descriptors drop to RCTL.RDMTS (1/2, 1/4 or 1/8 of the ring; the reserved
 *       11b is taken as 1/16) RXDMT0 is raised; the receive timer (RDTR/RADV) schedules RXT0.</li>
 * </ol>
 *
 * <h2>Untrusted driver</h2>
 * A ring whose RDLEN is 0 or whose RDH or RDT point beyond it is unusable: frames are missed, no
 * descriptor is touched (CVE-2016-1981). Descriptors are read before any data is written; a
 * descriptor outside guest memory makes the frame missed; a buffer outside guest memory loses its
 * data and the descriptor reports RXE. The work per frame is bounded by the frame size over the
 * smallest buffer (16388 / 256 = 65 descriptors).
 */
final class ReceiveUnit {
    static final int MIN_FRAME = 60;
    static final int MAX_FRAME_LPE = 16384;
    static final int MAX_FRAME = 1522;

    static final int STATUS_DD = 0x01;
    static final int STATUS_EOP = 0x02;
    static final int STATUS_VP = 0x08;
    static final int STATUS_PIF = 0x80;
    static final int ERROR_RXE = 0x80;

    private final RegisterFile regs;
    private final Statistics stats;
    private final InterruptLogic interrupts;
    private final InterruptDelay receiveTimer;
    private final GuestMemory dma;
    private final boolean mitigation;
    private long framesStored;
    private long framesMissed;

    ReceiveUnit(RegisterFile regs, Statistics stats, InterruptLogic interrupts, InterruptDelay receiveTimer,
                GuestMemory dma, boolean mitigation) {
        this.regs = regs;
        this.stats = stats;
        this.interrupts = interrupts;
        this.receiveTimer = receiveTimer;
        this.dma = dma;
        this.mitigation = mitigation;
    }

    long framesStored() {
        return framesStored;
    }

    long framesMissed() {
        return framesMissed;
    }

    /** Buffer size in bytes for RCTL.BSIZE and BSEX (§13.4.22); BSEX with BSIZE 00b is reserved, taken as 2048. */
    static int bufferSize(int rctl) {
        int bsize = (rctl & RCTL_BSIZE_MASK) >>> RCTL_BSIZE_SHIFT;
        if ((rctl & RCTL_BSEX) == 0 || bsize == 0) {
            return 2048 >> bsize;
        }
        return 32768 >> bsize;
    }

    /**
     * A frame from the wire (no FCS). Returns false only when the frame was missed for lack of
     * receive descriptors; frames the receiver is not accepting are dropped silently.
     */
    boolean receive(byte[] wireFrame, boolean linkUp) {
        int rctl = regs.get(RCTL);
        if ((rctl & RCTL_EN) == 0 || !linkUp || wireFrame.length < 14) {
            return true;
        }
        byte[] frame = wireFrame.length < MIN_FRAME ? Arrays.copyOf(wireFrame, MIN_FRAME) : wireFrame;
        int wireBytes = frame.length + 4;
        stats.increment(Statistics.TPR);
        stats.add(Statistics.TORL, wireBytes);

        ReceiveFilter.Verdict verdict = ReceiveFilter.destination(frame, regs);
        if (!verdict.accepted() || !vlanAccepted(frame, rctl)) {
            return true;
        }
        if (wireBytes > ((rctl & RCTL_LPE) != 0 ? MAX_FRAME_LPE : MAX_FRAME)) {
            stats.increment(Statistics.ROC);
            stats.increment(Statistics.RLEC);
            return true;
        }

        int status = 0;
        int special = 0;
        byte[] data = frame;
        boolean tagged = frame.length >= 18 && InternetChecksum.get16(frame, 12) == (regs.get(VET) & 0xFFFF);
        if (tagged && (regs.get(CTRL) & CTRL_VME) != 0) {
            special = InternetChecksum.get16(frame, 14);
            status |= STATUS_VP;
            data = new byte[frame.length - 4];
            System.arraycopy(frame, 0, data, 0, 12);
            System.arraycopy(frame, 16, data, 12, frame.length - 16);
        }
        if ((rctl & RCTL_SECRC) == 0) {
            data = withFcs(data);
        }
        ReceiveChecksum.Result csum = ReceiveChecksum.of(data, data.length, regs.get(RXCSUM));
        status |= csum.status();
        if (verdict == ReceiveFilter.Verdict.MULTICAST_HASH) {
            status |= STATUS_PIF;
        }
        if (!store(data, rctl, status, csum.errors(), csum.packetChecksum(), special)) {
            return false;
        }
        stats.increment(Statistics.GPRC);
        stats.add(Statistics.GORCL, wireBytes);
        stats.countSize(true, wireBytes);
        if (ReceiveFilter.isBroadcast(frame)) {
            stats.increment(Statistics.BPRC);
        } else if ((frame[0] & 1) != 0) {
            stats.increment(Statistics.MPRC);
        }
        framesStored++;
        receiveTimer.event(mitigation, regs.get(RDTR), regs.get(RADV));
        return true;
    }

    private boolean vlanAccepted(byte[] frame, int rctl) {
        boolean tagged = frame.length >= 18 && InternetChecksum.get16(frame, 12) == (regs.get(VET) & 0xFFFF);
        if (!tagged || (rctl & RCTL_VFE) == 0) {
            return true;
        }
        int tci = InternetChecksum.get16(frame, 14);
        if ((rctl & RCTL_CFIEN) != 0 && ((tci >>> 12) & 1) != ((rctl & RCTL_CFI) != 0 ? 1 : 0)) {
            return false;
        }
        return ReceiveFilter.vlanAllowed(tci & 0xFFF, regs);
    }

    private boolean store(byte[] data, int rctl, int status, int errors, int packetChecksum, int special) {
        int ringSize = regs.get(RDLEN) / DESCRIPTOR_BYTES;
        int head = regs.get(RDH);
        int tail = regs.get(RDT);
        int bufferSize = bufferSize(rctl);
        int needed = (data.length + bufferSize - 1) / bufferSize;
        if (ringSize == 0 || head >= ringSize || tail >= ringSize) {
            return missed(true);
        }
        int free = Math.floorMod(tail - head, ringSize);
        if (free < needed) {
            return missed(free == 0);
        }
        long base = (regs.get(RDBAH) & 0xFFFF_FFFFL) << 32 | (regs.get(RDBAL) & 0xFFFF_FFFFL);
        long[] buffers = new long[needed];
        try {
            for (int i = 0; i < needed; i++) {
                buffers[i] = dma.readU64(base + (long) ((head + i) % ringSize) * DESCRIPTOR_BYTES);
            }
        } catch (GuestMemoryFault fault) {
            return missed(false);
        }
        for (int i = 0; i < needed; i++) {
            int index = (head + i) % ringSize;
            int from = i * bufferSize;
            int length = Math.min(bufferSize, data.length - from);
            boolean last = i == needed - 1;
            int descriptorErrors = last ? errors : 0; // status and errors describe the packet at EOP
            try {
                dma.write(buffers[i], data, from, length);
            } catch (GuestMemoryFault fault) {
                descriptorErrors |= ERROR_RXE;
            }
            writeBack(base + (long) index * DESCRIPTOR_BYTES, length, packetChecksum,
                    last ? STATUS_DD | STATUS_EOP | status : STATUS_DD, descriptorErrors, special);
        }
        int newHead = (head + needed) % ringSize;
        regs.set(RDH, newHead);
        int threshold = ringSize >> (((rctl & RCTL_RDMTS_MASK) >>> RCTL_RDMTS_SHIFT) + 1);
        int freeAfter = free - needed;
        if (freeAfter <= threshold && free > threshold) {
            interrupts.raise(ICR_RXDMT0);
        }
        return true;
    }

    private void writeBack(long descriptor, int length, int packetChecksum, int status, int errors, int special) {
        byte[] wb = {
            (byte) length, (byte) (length >>> 8), (byte) packetChecksum, (byte) (packetChecksum >>> 8),
            (byte) status, (byte) errors, (byte) special, (byte) (special >>> 8)};
        try {
            dma.fullFence(); // the buffer's data is visible before the descriptor says DD
            dma.write(descriptor + 8, wb);
        } catch (GuestMemoryFault fault) {
            // the descriptor was readable a moment ago; if it is gone, there is nothing to report to
        }
    }

    private boolean missed(boolean noBuffers) {
        if (noBuffers) {
            stats.increment(Statistics.RNBC);
        }
        stats.increment(Statistics.MPC);
        framesMissed++;
        interrupts.raise(ICR_RXO);
        return false;
    }

    private static byte[] withFcs(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data, 0, data.length);
        long fcs = crc.getValue();
        byte[] out = Arrays.copyOf(data, data.length + 4);
        for (int i = 0; i < 4; i++) {
            out[data.length + i] = (byte) (fcs >>> (8 * i)); // least significant byte first on the wire
        }
        return out;
    }
}
