package dev.hvspec.vmm.e1000;

/**
 * A 16-byte transmit descriptor as the 82540EM fetches it (8254x SDM §3.3): bit 29 of the second
 * quadword (DEXT) selects the legacy format; with DEXT set, DTYP (bits 23:20) selects a TCP/IP
 * context descriptor (0000b) or a TCP/IP data descriptor (0001b). Descriptors are little-endian.
 * The status byte (offset 12) is the only part the device writes back (DD).
 */
public sealed interface TxDescriptor {
    /** Offset of the status byte (STA in bits 3:0) in every format. */
    int STATUS_OFFSET = 12;
    /** STA.DD, descriptor done (§3.3.3.2, §3.3.7.2). */
    int STA_DD = 0x01;

    // Legacy CMD (§3.3.3.1) and data DCMD (§3.3.7.1) bits; TUCMD of the context (§3.3.6.1).
    int CMD_EOP = 0x01;
    int CMD_IFCS = 0x02;
    int CMD_IC = 0x04;      // legacy only
    int CMD_TSE = 0x04;     // data and context
    int CMD_RS = 0x08;
    int CMD_DEXT = 0x20;
    int CMD_VLE = 0x40;
    int CMD_IDE = 0x80;
    int TUCMD_TCP = 0x01;
    int TUCMD_IP = 0x02;

    // POPTS (§3.3.7.3).
    int POPTS_IXSM = 0x01;
    int POPTS_TXSM = 0x02;

    int DTYP_CONTEXT = 0x0;
    int DTYP_DATA = 0x1;

    /** Whether software asked for the status to be written back (RS). */
    boolean reportStatus();

    /** Whether the write-back's interrupt may be delayed by TIDV/TADV (IDE). */
    boolean delayInterrupt();

    /** §3.3.3: a legacy descriptor: one buffer of {@code length} bytes. */
    record Legacy(long address, int length, int cso, int cmd, int css, int special) implements TxDescriptor {
        public boolean endOfPacket() {
            return (cmd & CMD_EOP) != 0;
        }

        @Override
        public boolean reportStatus() {
            return (cmd & CMD_RS) != 0;
        }

        @Override
        public boolean delayInterrupt() {
            return (cmd & CMD_IDE) != 0;
        }
    }

    /** §3.3.5/§3.3.6: a TCP/IP context descriptor, loading the offload context. */
    record Context(OffloadContext context, int tucmd) implements TxDescriptor {
        @Override
        public boolean reportStatus() {
            return (tucmd & CMD_RS) != 0;
        }

        @Override
        public boolean delayInterrupt() {
            return (tucmd & CMD_IDE) != 0;
        }
    }

    /** §3.3.7: a TCP/IP data descriptor: one buffer, with packet options and commands. */
    record Data(long address, int length, int dcmd, int popts, int special) implements TxDescriptor {
        public boolean endOfPacket() {
            return (dcmd & CMD_EOP) != 0;
        }

        public boolean segmentation() {
            return (dcmd & CMD_TSE) != 0;
        }

        @Override
        public boolean reportStatus() {
            return (dcmd & CMD_RS) != 0;
        }

        @Override
        public boolean delayInterrupt() {
            return (dcmd & CMD_IDE) != 0;
        }
    }

    /** DEXT set with a reserved DTYP: the model consumes it and does nothing else. */
    record Reserved(int dtyp, int cmd) implements TxDescriptor {
        @Override
        public boolean reportStatus() {
            return (cmd & CMD_RS) != 0;
        }

        @Override
        public boolean delayInterrupt() {
            return (cmd & CMD_IDE) != 0;
        }
    }

    /** Decodes the 16 bytes of a descriptor. */
    static TxDescriptor parse(byte[] d) {
        long address = le64(d, 0);
        int dword2 = le32(d, 8);
        int cmd = d[11] & 0xFF;
        if ((cmd & CMD_DEXT) == 0) {
            return new Legacy(address, le16(d, 8), d[10] & 0xFF, cmd, d[13] & 0xFF, le16(d, 14));
        }
        int dtyp = (dword2 >>> 20) & 0xF;
        return switch (dtyp) {
            case DTYP_CONTEXT -> new Context(new OffloadContext(d[0] & 0xFF, d[1] & 0xFF, le16(d, 2),
                    d[4] & 0xFF, d[5] & 0xFF, le16(d, 6), dword2 & 0xF_FFFF, cmd, d[13] & 0xFF, le16(d, 14)), cmd);
            case DTYP_DATA -> new Data(address, dword2 & 0xF_FFFF, cmd, d[13] & 0xFF, le16(d, 14));
            default -> new Reserved(dtyp, cmd);
        };
    }

    private static int le16(byte[] d, int at) {
        return (d[at] & 0xFF) | (d[at + 1] & 0xFF) << 8;
    }

    private static int le32(byte[] d, int at) {
        return le16(d, at) | le16(d, at + 2) << 16;
    }

    private static long le64(byte[] d, int at) {
        return (le32(d, at) & 0xFFFF_FFFFL) | (long) le32(d, at + 4) << 32;
    }
}
