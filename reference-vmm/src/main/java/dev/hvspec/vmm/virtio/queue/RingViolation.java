package dev.hvspec.vmm.virtio.queue;

/**
 * The ways an untrusted driver can break a virtqueue, with the clause the driver broke. The
 * device's answer to each is the same (virtio 1.3 §2.1.2: it "SHOULD set DEVICE_NEEDS_RESET when
 * it enters an error state that a reset is needed"); the violation names what was detected.
 */
public enum RingViolation {
    /** §2.7.5.1 driver: "loops in the descriptor chain are forbidden", chains no longer than the queue. */
    CHAIN_TOO_LONG("descriptor chain longer than the queue size (or a loop)"),
    /** §2.7.6 driver: avail ring entries are heads of chains in the descriptor table. */
    HEAD_OUT_OF_RANGE("available ring names a descriptor index beyond the queue size"),
    /** §2.7.5: next must name a descriptor of the same table. */
    NEXT_OUT_OF_RANGE("descriptor next index beyond the table"),
    /** §2.7.13: the ring is the size of the table, so idx can never run more than the queue size ahead. */
    AVAIL_INDEX_JUMP("available idx moved ahead by more than the queue size"),
    /** Requests beyond the queue size without waiting for completion (the QEMU CVE-2016-5403 class). */
    TOO_MANY_IN_FLIGHT("more buffers in flight than the queue size"),
    /** §2.7.5.3.1 driver: "MUST NOT set the VIRTQ_DESC_F_INDIRECT flag unless ... negotiated". */
    INDIRECT_NOT_NEGOTIATED("indirect descriptor without VIRTIO_F_INDIRECT_DESC"),
    /** §2.7.5.3.1 driver: "MUST NOT set the VIRTQ_DESC_F_INDIRECT flag within an indirect descriptor". */
    NESTED_INDIRECT("indirect descriptor inside an indirect table"),
    /** §2.7.5.3.1 driver: "MUST NOT set both VIRTQ_DESC_F_INDIRECT and VIRTQ_DESC_F_NEXT". */
    INDIRECT_WITH_NEXT("indirect descriptor with VIRTQ_DESC_F_NEXT"),
    /** §2.7.5.3: the table holds len / 16 descriptors; a zero or partial length is no table. */
    INDIRECT_LENGTH("indirect table length zero or not a multiple of 16"),
    /** Zero-sized buffers (the QEMU CVE-2016-6490 class; QEMU answers "zero sized buffers are not allowed"). */
    ZERO_LENGTH("zero-length buffer descriptor"),
    /** §2.7.5.1 driver: "MUST NOT add a descriptor chain longer than 2^32 bytes in total". */
    TOTAL_LENGTH_OVERFLOW("descriptor chain longer than 2^32 - 1 bytes in total"),
    /** A ring part, table or buffer that is not guest RAM. */
    OUTSIDE_MEMORY("virtqueue memory or buffer outside guest RAM"),
    /** §2.7.4.2 driver: "MUST place any device-writable descriptor elements after any device-readable". */
    WRITABLE_BEFORE_READABLE("device-readable descriptor after a device-writable one"),
    /** Packed ring §2.8.23: "MUST NOT write direct descriptors with DESC_F_INDIRECT set in a list linked by NEXT". */
    INDIRECT_IN_CHAIN("indirect descriptor inside a chained list"),
    /** The request itself is malformed for the device type (no header, no status byte ...). */
    MALFORMED_REQUEST("request layout unusable by the device");

    private final String description;

    RingViolation(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
