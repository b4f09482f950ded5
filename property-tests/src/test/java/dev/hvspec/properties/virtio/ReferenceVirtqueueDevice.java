package dev.hvspec.properties.virtio;

import dev.hvspec.machine.memory.GuestMemory;
import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.vmm.virtio.queue.DescriptorChain;
import dev.hvspec.vmm.virtio.queue.PackedVirtqueue;
import dev.hvspec.vmm.virtio.queue.RingIndex;
import dev.hvspec.vmm.virtio.queue.SplitVirtqueue;
import dev.hvspec.vmm.virtio.queue.Virtqueue;
import dev.hvspec.vmm.virtio.queue.VirtqueueException;

import java.util.function.LongUnaryOperator;

/** The reference's virtqueues behind the SPI. */
public final class ReferenceVirtqueueDevice implements VirtqueueDeviceSpi {
    @Override
    public QueueUnderTest split(GuestMemory memory, long descriptorTable, long availRing, long usedRing, int size,
                                boolean indirect, boolean eventIdx, int startIndex) {
        SplitVirtqueue q = new SplitVirtqueue(memory, new SplitVirtqueue.Layout(descriptorTable, availRing, usedRing, size),
                SplitVirtqueue.Options.of(indirect, eventIdx));
        q.restore(startIndex, startIndex);
        return new Adapter(memory, q);
    }

    @Override
    public QueueUnderTest packed(GuestMemory memory, long descriptorRing, long driverEvent, long deviceEvent, int size,
                                 boolean indirect, boolean eventIdx) {
        return new Adapter(memory, new PackedVirtqueue(memory,
                new PackedVirtqueue.Layout(descriptorRing, driverEvent, deviceEvent, size),
                SplitVirtqueue.Options.of(indirect, eventIdx)));
    }

    @Override
    public boolean needEvent(int eventIdx, int newIdx, int oldIdx) {
        return RingIndex.needEvent(eventIdx, newIdx, oldIdx);
    }

    private static final class Adapter implements QueueUnderTest {
        private final GuestMemory memory;
        private final Virtqueue queue;
        private boolean due;

        Adapter(GuestMemory memory, Virtqueue queue) {
            this.memory = memory;
            this.queue = queue;
        }

        @Override
        public boolean serve(LongUnaryOperator bytesToWrite) {
            try {
                boolean used = false;
                for (DescriptorChain c = queue.pop(); c != null; c = queue.pop()) {
                    long n = Math.min(c.writableBytes(), Math.max(0, bytesToWrite.applyAsLong(c.writableBytes())));
                    byte[] pattern = new byte[(int) Math.min(n, 1 << 16)];
                    java.util.Arrays.fill(pattern, (byte) 0x5A);
                    for (long done = 0; done < n; done += pattern.length) {
                        c.write(memory, done, pattern, 0, (int) Math.min(pattern.length, n - done));
                    }
                    queue.push(c, n);
                    used = true;
                }
                due = used && queue.shouldNotify();
                return true;
            } catch (VirtqueueException | GuestMemoryFault e) {
                due = false;
                return false;
            }
        }

        @Override
        public boolean notificationDue() {
            return due;
        }
    }
}
