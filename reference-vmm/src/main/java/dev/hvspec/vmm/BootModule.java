package dev.hvspec.vmm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A file the loader puts in guest RAM beside the kernel: a multiboot module with its string
 * (Multiboot 0.6.96 §3.3, "mods_addr"), or a Linux initrd.
 *
 * @param file        the file whose contents are loaded
 * @param commandLine the module's string: as QEMU passes it, the whole {@code --initrd} list
 *                    entry, file name included ({@code "mod.bin root=/dev/ram0"})
 */
public record BootModule(Path file, String commandLine) {
    /**
     * Parses QEMU's {@code -initrd} syntax for multiboot kernels: modules separated by commas,
     * each a file name optionally followed by a space and its arguments
     * ({@code "a.mod x=1,b.mod"}); the module's string is the entry as written.
     */
    public static List<BootModule> parseList(String list) {
        List<BootModule> modules = new ArrayList<>();
        if (list == null || list.isEmpty()) {
            return modules;
        }
        for (String entry : list.split(",", -1)) {
            int space = entry.indexOf(' ');
            String file = space < 0 ? entry : entry.substring(0, space);
            if (file.isEmpty()) {
                throw new IllegalArgumentException("an empty module file name in '" + list + "'");
            }
            modules.add(new BootModule(Path.of(file), entry));
        }
        return modules;
    }
}
