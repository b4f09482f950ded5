package dev.hvspec.kvm.abi;

import java.util.ArrayList;
import java.util.List;

/**
 * The ABI as text, one fact per line, in a fixed order, for {@code hvspec abi dump}, the golden
 * file and the gcc probe:
 * <pre>
 *   size STRUCT BYTES                    sizeof(struct STRUCT)
 *   offset STRUCT.PATH BYTES SIZE        offsetof(struct STRUCT, PATH), sizeof that member
 *   const NAME DECIMAL                   the value of the macro NAME
 * </pre>
 * Structs come first (each {@code size} line followed by its {@code offset} lines, see
 * {@link StructLayout#facts()}), then {@code const} lines: {@link KvmConstants.General}, every
 * {@link KvmIoctl} request code, then capabilities, exit reasons, the smaller groups and errno
 * values ({@link KvmConstants#all()}). A flexible array member is printed with size 0.
 */
public final class AbiDump {
    private AbiDump() {
    }

    /** Every line of the dump. */
    public static List<String> lines() {
        List<String> out = new ArrayList<>();
        for (StructLayout layout : KvmAbi.LAYOUTS) {
            out.addAll(structLines(layout));
        }
        for (AbiConstant c : constants()) {
            out.add("const " + c.cName() + " " + c.value());
        }
        return List.copyOf(out);
    }

    /** The {@code size} and {@code offset} lines of one struct. */
    public static List<String> structLines(StructLayout layout) {
        List<String> out = new ArrayList<>();
        out.add("size " + layout.tag() + " " + layout.size());
        for (StructLayout.Fact f : layout.facts()) {
            out.add("offset " + layout.tag() + "." + f.path() + " " + f.offset() + " " + f.size());
        }
        return out;
    }

    /** The constants in dump order: general values, request codes, then {@link KvmConstants#all()}'s rest. */
    public static List<AbiConstant> constants() {
        List<AbiConstant> out = new ArrayList<>(List.of(KvmConstants.General.values()));
        out.addAll(List.of(KvmIoctl.values()));
        for (AbiConstant c : KvmConstants.all()) {
            if (!(c instanceof KvmConstants.General)) {
                out.add(c);
            }
        }
        return List.copyOf(out);
    }
}
