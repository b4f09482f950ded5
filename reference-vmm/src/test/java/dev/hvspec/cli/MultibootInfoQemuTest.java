package dev.hvspec.cli;

import dev.hvspec.bench.GuestKit;
import dev.hvspec.machine.cpu.isa.Assembler;
import dev.hvspec.machine.cpu.isa.Condition;
import dev.hvspec.machine.cpu.isa.Label;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.hvspec.machine.cpu.isa.Asm.AL;
import static dev.hvspec.machine.cpu.isa.Asm.DX;
import static dev.hvspec.machine.cpu.isa.Asm.EAX;
import static dev.hvspec.machine.cpu.isa.Asm.EBX;
import static dev.hvspec.machine.cpu.isa.Asm.ECX;
import static dev.hvspec.machine.cpu.isa.Asm.EDI;
import static dev.hvspec.machine.cpu.isa.Asm.ESI;
import static dev.hvspec.machine.cpu.isa.Asm.bytePtr;
import static dev.hvspec.machine.cpu.isa.Asm.dword;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The multiboot information structure (Multiboot 0.6.96 §3.3) exactly as QEMU's {@code -kernel}
 * builds it: a guest dumps every field the boot loader sets — flags, mem_lower/mem_upper, the
 * boot device, the command line ({@code --append}), the modules ({@code --initrd "FILE ARGS,FILE"},
 * QEMU's syntax: each module's string is its piece of the list; contents page-aligned), the memory
 * map and the boot loader name, addresses included — and {@code hvspec run} must print the same
 * bytes as {@code qemu-system-x86_64} (the command plus {@code -initrd} and {@code -append}).
 * The memory map is SeaBIOS's, as QEMU's loader copies it from the firmware.
 */
@Tag("multiboot-3.3")
class MultibootInfoQemuTest {
    /** Where the guest keeps the information structure's address. */
    private static final long MBI = GuestKit.VARS + 0x40;

    private static byte[] program() {
        GuestKit k = new GuestKit();
        Assembler a = k.a;
        a.mov(dword(MBI), EBX);
        String[] fields = {"flags", "mem_lower", "mem_upper", "boot_device", "cmdline", "mods_count", "mods_addr"};
        for (int i = 0; i < fields.length; i++) {
            k.report(fields[i], dword(EBX, 4 * i));
        }
        k.report("mmap_length", dword(EBX, 44)).report("mmap_addr", dword(EBX, 48))
                .report("boot_loader_name", dword(EBX, 64));
        k.print("cmdline: ");
        a.mov(ESI, dword(EBX, 16));
        printString(a);
        k.print("\nloader: ");
        a.mov(ESI, dword(EBX, 64));
        printString(a);
        k.print("\n");
        // Modules: start, end, the string and the first bytes of the contents.
        Label modules = a.label(), modulesDone = a.label();
        a.mov(EDI, dword(EBX, 24)).mov(ECX, dword(EBX, 20));
        a.bind(modules).test(ECX, ECX).jcc(Condition.E, modulesDone);
        k.report("mod_start", dword(EDI, 0)).report("mod_end", dword(EDI, 4)).report("mod_string", dword(EDI, 8));
        a.mov(ESI, dword(EDI, 0));
        k.report("mod_first_word", dword(ESI, 0));
        k.print("mod: ");
        a.mov(ESI, dword(EDI, 8));
        printString(a);
        k.print("\n");
        a.add(EDI, 16).dec(ECX).jmp(modules);
        a.bind(modulesDone);
        // The memory map: size, base, length, type per entry (the size field does not count itself).
        Label entries = a.label(), entriesDone = a.label();
        a.mov(ESI, dword(EBX, 48)).mov(EDI, ESI).add(EDI, dword(EBX, 44));
        a.bind(entries).cmp(ESI, EDI).jcc(Condition.AE, entriesDone);
        k.report("size", dword(ESI, 0)).report("base_hi", dword(ESI, 8)).report("base_lo", dword(ESI, 4))
                .report("length_hi", dword(ESI, 16)).report("length_lo", dword(ESI, 12)).report("type", dword(ESI, 20));
        a.add(ESI, dword(ESI, 0)).add(ESI, 4).jmp(entries);
        a.bind(entriesDone);
        k.exit(0x21);
        return k.image();
    }

    /** Prints the NUL-terminated string at ESI (at most 200 bytes) to COM1; keeps EBX, ECX, EDI. */
    private static void printString(Assembler a) {
        Label loop = a.label(), done = a.label();
        a.push(ECX).mov(ECX, 200).mov(DX, 0x3F8);
        a.bind(loop).mov(AL, bytePtr(ESI, 0)).test(AL, AL).jcc(Condition.E, done);
        a.out(DX, AL).inc(ESI).dec(ECX).jcc(Condition.NE, loop);
        a.bind(done).pop(ECX);
    }

    private static void sameAsQemu(Path dir, List<String> args) throws Exception {
        GuestRuns.Run ours = GuestRuns.reference(args);
        assertThat(ours.status()).as("status; stderr: %s; serial: %s", ours.err(), ours.serial()).isEqualTo((0x21 << 1) | 1);
        // vendor=GenuineIntel: QEMU 7.2 adds a reserved e820 entry for AMD's HyperTransport range
        // [0xFD00000000, 1 TiB) when the CPU model is an AMD one with phys-bits >= 40 (pc_memory_init);
        // qemu64 is, the reference CPU ("HvspecRefCPU") is not. Nothing else here depends on the vendor.
        GuestRuns.Run theirs = GuestRuns.qemu("qemu64,vendor=GenuineIntel", args);
        assertThat(ours.serial()).isEqualTo(theirs.serial());
        assertThat(ours.status()).isEqualTo(theirs.status());
    }

    @Test
    void commandLineAndTwoModulesWithTheirStrings(@TempDir Path dir) throws Exception {
        Path image = Files.write(dir.resolve("mbinfo.elf"), program());
        Path first = Files.writeString(dir.resolve("first.mod"), "FIRSTmodule contents\n");
        Path second = Files.write(dir.resolve("second.mod"), new byte[5000]); // spans two pages
        Files.write(second, "SECOND".getBytes(StandardCharsets.US_ASCII), java.nio.file.StandardOpenOption.WRITE);
        sameAsQemu(dir, List.of("--kernel", image.toString(), "--append", "console=ttyS0 quiet",
                "--initrd", first + " root=/dev/ram0 x=1," + second));
    }

    @Test
    void noModulesAndNoCommandLine(@TempDir Path dir) throws Exception {
        Path image = Files.write(dir.resolve("mbinfo.elf"), program());
        sameAsQemu(dir, List.of("--kernel", image.toString()));
    }
}
