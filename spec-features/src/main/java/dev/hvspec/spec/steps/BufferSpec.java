package dev.hvspec.spec.steps;

import dev.hvspec.machine.memory.GuestMemory;
import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.vmm.virtio.driver.GuestAllocator;
import dev.hvspec.vmm.virtio.driver.SplitRingDriver;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A buffer written in scenarios as tokens: {@code "16r 512w"} is 16 device-readable bytes then 512
 * device-writable bytes, each token one descriptor; after {@code indirect:} the remaining elements
 * go into an indirect table. Readable bytes are filled with 0x11, 0x12 ... and writable bytes
 * with 0xEE, so scenarios can see what the device read and wrote.
 */
record BufferSpec(List<SplitRingDriver.Element> direct, List<SplitRingDriver.Element> indirect, boolean useIndirect) {
    static final int WRITABLE_FILL = 0xEE;

    static BufferSpec parse(String text, GuestMemory memory, GuestAllocator allocator) throws GuestMemoryFault {
        List<SplitRingDriver.Element> direct = new ArrayList<>();
        List<SplitRingDriver.Element> indirect = new ArrayList<>();
        boolean inIndirect = false;
        int fill = 0x11;
        for (String token : text.trim().split("\\s+")) {
            if (token.equals("indirect:")) {
                inIndirect = true;
                continue;
            }
            boolean writable = token.endsWith("w");
            int length = Integer.parseInt(token.substring(0, token.length() - 1));
            long at = allocator.allocate(length, 16);
            byte[] bytes = new byte[length];
            if (writable) {
                Arrays.fill(bytes, (byte) WRITABLE_FILL);
            } else {
                for (int i = 0; i < length; i++) {
                    bytes[i] = (byte) fill++;
                }
            }
            memory.write(at, bytes);
            (inIndirect ? indirect : direct).add(new SplitRingDriver.Element(at, length, writable));
        }
        return new BufferSpec(direct, indirect, inIndirect);
    }

    List<SplitRingDriver.Element> all() {
        List<SplitRingDriver.Element> out = new ArrayList<>(direct);
        out.addAll(indirect);
        return out;
    }
}
