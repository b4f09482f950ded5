package dev.hvspec.vmm.e1000;

import dev.hvspec.machine.memory.GuestMemory;
import dev.hvspec.machine.memory.GuestMemoryFault;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static dev.hvspec.vmm.e1000.E1000Registers.*;

/**
 * The transmit side of the 82540EM (8254x SDM §3.3 - §3.5): fetches descriptors from TDH up to
 * TDT, gathers packets, applies checksum offload and TCP segmentation, and hands frames to the
 * wire.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>Hardware owns the descriptors from TDH to TDT - 1; "Hardware attempts to transmit all
 *       packets referenced by descriptors between head and tail" (§13.4.40). Nothing is fetched
 *       while TCTL.EN is clear.</li>
 *   <li>A context descriptor replaces the offload context (§3.3.6). Legacy (§3.3.3) and data
 *       (§3.3.7) descriptors add their buffer to the packet; EOP ends it. Buffers with length 0
 *       or a null address "transfer no data". The first descriptor of a packet decides its kind:
 *       legacy with CMD.IC gets the legacy checksum (CSS to the end, stored at CSO); data
 *       descriptors use POPTS.IXSM/TXSM of the first descriptor and, with DCMD.TSE, TCP
 *       segmentation ({@link TcpSegmentation}). VLE and Special are taken from the EOP
 *       descriptor; with CTRL.VME an 802.1Q tag (VET, Special) is inserted after the
 *       addresses, after the checksums ("Hardware does not add the 802.1Q EtherType or the VLAN
 *       field ... to the checksum", §3.3.3 note 2).</li>
 *   <li>TCTL.PSP pads frames shorter than 64 bytes (60 without FCS) with zeros (§13.4.33).</li>
 *   <li>A descriptor with RS gets STA.DD written back once processed; its TXDW interrupt is
 *       immediate, or delayed by TIDV/TADV when it has IDE (§13.4.41, §13.4.44). TXQE is raised
 *       when the ring becomes empty.</li>
 * </ul>
 *
 * <h2>Untrusted driver</h2>
 * At most one ring's worth of descriptors is processed per call, so a tail that never meets the
 * head cannot loop, and a call yields once it has produced {@link #BYTES_PER_PASS} bytes of frames
 * (the device continues from the timer queue); a ring whose TDLEN is 0 or whose TDH or TDT point beyond it is not fetched
 * from at all (CVE-2016-1981). Zero-length descriptors advance the ring like any other
 * (CVE-2015-6815, CVE-2021-20257): there is no loop over bytes that could fail to make progress.
 * A packet longer than 16288 bytes (§3.3.3: "16288 bytes total"; TSO: 64 KiB of payload plus the
 * headers, the largest IPv4 datagram) is not sent, nor one with a buffer outside guest
 * memory; a TSO context with MSS 0, HDRLEN 0 or headers beyond HDRLEN is refused and counted in
 * TSCTFC. A descriptor fetch outside guest memory stops processing until the next doorbell.
 */
final class TransmitUnit {
    static final int MAX_PACKET = 16288;
    /** The model's TSO limit: 64 KiB of payload plus at most 255 bytes of headers (HDRLEN is 8 bits). */
    static final int MAX_TSO_PACKET = 0x10000 + 0xFF;
    static final int MIN_FRAME = 60;
    /**
     * Frame bytes one pass may produce before it yields (checked between packets): far more than a
     * full ring of 64 KiB TSO packets with a real MSS, far less than a malicious ring of TSO packets
     * with MSS 1 would make (about 65,000 frames each).
     */
    static final long BYTES_PER_PASS = 16L << 20;

    private final RegisterFile regs;
    private final Statistics stats;
    private final InterruptLogic interrupts;
    private final InterruptDelay transmitTimer;
    private final GuestMemory dma;
    private final boolean mitigation;
    private final Consumer<byte[]> wire;

    private OffloadContext context = OffloadContext.NONE;
    private final ByteArrayOutputStream packet = new ByteArrayOutputStream();
    private TxDescriptor first; // the first descriptor of the packet being gathered, or null
    private boolean packetBroken;
    private long descriptorsProcessed;
    private long framesSent;
    private long bytesSent;
    private long packetsDropped;

    TransmitUnit(RegisterFile regs, Statistics stats, InterruptLogic interrupts, InterruptDelay transmitTimer,
                 GuestMemory dma, boolean mitigation, Consumer<byte[]> wire) {
        this.regs = regs;
        this.stats = stats;
        this.interrupts = interrupts;
        this.transmitTimer = transmitTimer;
        this.dma = dma;
        this.mitigation = mitigation;
        this.wire = wire;
    }

    void reset() {
        context = OffloadContext.NONE;
        packet.reset();
        first = null;
        packetBroken = false;
    }

    long descriptorsProcessed() {
        return descriptorsProcessed;
    }

    long framesSent() {
        return framesSent;
    }

    long packetsDropped() {
        return packetsDropped;
    }

    /**
     * Processes the descriptors hardware owns (after a write to TDT, or TCTL.EN being set, or as the
     * continuation of an earlier pass). Returns true if the pass stopped at its byte budget with
     * descriptors left: the caller schedules a continuation.
     */
    boolean process() {
        if ((regs.get(TCTL) & TCTL_EN) == 0) {
            return false;
        }
        int ringSize = regs.get(TDLEN) / DESCRIPTOR_BYTES;
        int head = regs.get(TDH);
        int tail = regs.get(TDT);
        if (ringSize == 0 || head >= ringSize || tail >= ringSize) {
            return false;
        }
        long base = (regs.get(TDBAH) & 0xFFFF_FFFFL) << 32 | (regs.get(TDBAL) & 0xFFFF_FFFFL);
        boolean processed = false;
        long bytesAtStart = bytesSent;
        for (int budget = ringSize; head != tail && budget > 0; budget--) {
            if (bytesSent - bytesAtStart >= BYTES_PER_PASS) {
                return true;
            }
            long address = base + (long) head * DESCRIPTOR_BYTES;
            byte[] raw;
            try {
                raw = dma.read(address, DESCRIPTOR_BYTES);
            } catch (GuestMemoryFault fault) {
                break; // a master abort on the fetch: the ring stalls here
            }
            TxDescriptor descriptor = TxDescriptor.parse(raw);
            handle(descriptor);
            if (descriptor.reportStatus()) {
                writeBackDone(address, raw[TxDescriptor.STATUS_OFFSET]);
                transmitTimer.event(mitigation && descriptor.delayInterrupt(), regs.get(TIDV), regs.get(TADV));
            }
            head = (head + 1) % ringSize;
            regs.set(TDH, head);
            descriptorsProcessed++;
            processed = true;
        }
        if (processed && head == tail) {
            interrupts.raise(ICR_TXQE);
        }
        return false;
    }

    private void handle(TxDescriptor descriptor) {
        switch (descriptor) {
            case TxDescriptor.Context c -> context = c.context();
            case TxDescriptor.Legacy l -> gather(l, l.address(), l.length(), l.endOfPacket());
            case TxDescriptor.Data d -> gather(d, d.address(), d.length(), d.endOfPacket());
            case TxDescriptor.Reserved r -> {
                // reserved descriptor type: consumed, nothing else
            }
        }
    }

    private void gather(TxDescriptor descriptor, long address, int length, boolean endOfPacket) {
        if (first == null) {
            first = descriptor;
            packet.reset();
            packetBroken = false;
        }
        int limit = first instanceof TxDescriptor.Data d && d.segmentation() ? MAX_TSO_PACKET : MAX_PACKET;
        if (length > 0 && address != 0 && !packetBroken) {
            if (packet.size() + length > limit) {
                packetBroken = true;
            } else {
                try {
                    packet.writeBytes(dma.read(address, length));
                } catch (GuestMemoryFault fault) {
                    packetBroken = true;
                }
            }
        }
        if (endOfPacket) {
            if (packetBroken) {
                packetsDropped++;
            } else {
                finish(first, descriptor, packet.toByteArray());
            }
            first = null;
            packet.reset();
        }
    }

    private void finish(TxDescriptor head, TxDescriptor last, byte[] bytes) {
        int vlanCommand = last instanceof TxDescriptor.Legacy l ? l.cmd() : ((TxDescriptor.Data) last).dcmd();
        int special = last instanceof TxDescriptor.Legacy l ? l.special() : ((TxDescriptor.Data) last).special();
        boolean tag = (vlanCommand & TxDescriptor.CMD_VLE) != 0 && (regs.get(CTRL) & CTRL_VME) != 0;
        switch (head) {
            case TxDescriptor.Legacy l -> {
                if ((l.cmd() & TxDescriptor.CMD_IC) != 0) {
                    InternetChecksum.insert(bytes, bytes.length, l.css(), 0, l.cso(), 0);
                }
                send(bytes, tag, special);
            }
            case TxDescriptor.Data d -> {
                boolean ipSum = (d.popts() & TxDescriptor.POPTS_IXSM) != 0;
                boolean l4Sum = (d.popts() & TxDescriptor.POPTS_TXSM) != 0;
                if (d.segmentation()) {
                    Optional<String> refusal = TcpSegmentation.refusal(context, bytes.length);
                    if (refusal.isPresent()) {
                        stats.increment(Statistics.TSCTFC);
                        packetsDropped++;
                        return;
                    }
                    List<byte[]> segments = TcpSegmentation.segment(bytes, bytes.length, context, ipSum, l4Sum);
                    stats.increment(Statistics.TSCTC);
                    for (byte[] segment : segments) {
                        send(segment, tag, special);
                    }
                    return;
                }
                if (ipSum) {
                    InternetChecksum.insert(bytes, bytes.length, context.ipcss(), context.ipcse(), context.ipcso(), 0);
                }
                if (l4Sum) {
                    InternetChecksum.insert(bytes, bytes.length, context.tucss(), context.tucse(), context.tucso(), 0);
                }
                send(bytes, tag, special);
            }
            default -> throw new IllegalStateException("a packet starts with a buffer descriptor");
        }
    }

    private void send(byte[] frame, boolean tag, int special) {
        if (frame.length < 12) {
            packetsDropped++; // not even the two addresses: nothing a wire could carry
            return;
        }
        if (tag) {
            byte[] tagged = new byte[frame.length + 4];
            System.arraycopy(frame, 0, tagged, 0, 12);
            InternetChecksum.put16(tagged, 12, regs.get(VET) & 0xFFFF);
            InternetChecksum.put16(tagged, 14, special);
            System.arraycopy(frame, 12, tagged, 16, frame.length - 12);
            frame = tagged;
        }
        if ((regs.get(TCTL) & TCTL_PSP) != 0 && frame.length < MIN_FRAME) {
            frame = java.util.Arrays.copyOf(frame, MIN_FRAME);
        }
        int wireBytes = frame.length + 4;
        stats.increment(Statistics.TPT);
        stats.add(Statistics.TOTL, wireBytes);
        stats.countSize(false, wireBytes);
        if (wireBytes >= 64) {
            // §13.7.30: "A good transmit packet is considered one that is 64 or more bytes in length"
            stats.increment(Statistics.GPTC);
            stats.add(Statistics.GOTCL, wireBytes);
        }
        if (ReceiveFilter.isBroadcast(frame)) {
            stats.increment(Statistics.BPTC);
        } else if ((frame[0] & 1) != 0) {
            stats.increment(Statistics.MPTC);
        }
        framesSent++;
        bytesSent += frame.length;
        wire.accept(frame);
    }

    private void writeBackDone(long descriptor, byte oldStatus) {
        try {
            dma.fullFence();
            dma.writeU8(descriptor + TxDescriptor.STATUS_OFFSET, (oldStatus & 0xF0) | TxDescriptor.STA_DD);
        } catch (GuestMemoryFault fault) {
            // fetched a moment ago; if the memory is gone there is no one to tell
        }
    }
}
