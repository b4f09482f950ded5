package dev.hvspec.properties.virtio;

import dev.hvspec.machine.memory.GuestMemory;

import java.util.function.LongUnaryOperator;

/**
 * What the virtqueue properties need from a device-side virtqueue implementation. The reference
 * implements it in {@link ReferenceVirtqueueDevice}; another Java implementation can be checked
 * by implementing it and naming the class in the system property {@code hvspec.virtqueue.spi}.
 *
 * <p>Semantics are those of virtio 1.3 §2.7 (split) and §2.8 (packed); the device side only
 * ever reaches guest memory through the {@link GuestMemory} it is given.
 */
public interface VirtqueueDeviceSpi {
    /**
     * The device side of a split virtqueue with the given areas. {@code startIndex} is where both
     * the device's next available index and its used idx stand (the queue resumes after that many
     * buffers were exchanged, as after live migration); the driver side starts there too.
     */
    QueueUnderTest split(GuestMemory memory, long descriptorTable, long availRing, long usedRing, int size,
                         boolean indirect, boolean eventIdx, int startIndex);

    /** The device side of a packed virtqueue with the given areas, fresh (wrap counters 1). */
    QueueUnderTest packed(GuestMemory memory, long descriptorRing, long driverEvent, long deviceEvent, int size,
                          boolean indirect, boolean eventIdx);

    /** The implementation's need-event rule: must a notification be sent when idx moved from old to new? */
    boolean needEvent(int eventIdx, int newIdx, int oldIdx);

    /** One device-side queue. */
    interface QueueUnderTest {
        /**
         * An available buffer notification. The device takes every available buffer in order; into
         * each it writes {@code bytesToWrite.applyAsLong(writableBytes)} bytes from the start of
         * its device-writable part (never more than the writable part), then marks it used with
         * that length. Returns false if the device found the ring malformed and stopped (its
         * DEVICE_NEEDS_RESET answer). Must return, never throw, whatever the ring holds.
         */
        boolean serve(LongUnaryOperator bytesToWrite);

        /** After {@link #serve}: whether the driver asked for a used buffer notification. */
        boolean notificationDue();
    }
}
