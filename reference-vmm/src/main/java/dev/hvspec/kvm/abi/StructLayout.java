package dev.hvspec.kvm.abi;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A C struct or union declared as data and laid out with the rules gcc follows on x86-64
 * (System V psABI §3.1.2 "Aggregates and Unions"):
 * <ul>
 *   <li>each member starts at the next multiple of its alignment; a struct's alignment is its
 *       largest member alignment and its size is rounded up to that alignment;</li>
 *   <li>all members of a union start at offset 0; its size is its largest member, rounded up;</li>
 *   <li>a flexible array member ({@code T x[]}, {@code __DECLARE_FLEX_ARRAY}) is aligned but adds
 *       no size;</li>
 *   <li>a bit-field of type T is placed at the next free bit unless it would cross a boundary of
 *       a T-sized, T-aligned unit, in which case it starts the next unit (psABI: "bit-fields must
 *       be contained in a storage unit appropriate for its declared type").</li>
 * </ul>
 * Offsets are therefore computed, never written down; the abi-compat module checks every one
 * against gcc compiling the real header.
 *
 * <p>Members without a name are C11 anonymous structs/unions: their members are reached as if
 * they were members of the enclosing struct (so {@code kvm_run}'s exit union is
 * {@code "io.port"}, not {@code "u.io.port"}).
 */
public final class StructLayout implements CType {
    /** struct or union. */
    public enum Kind {
        STRUCT("struct"), UNION("union");

        private final String keyword;

        Kind(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }

    /**
     * One declared member.
     *
     * @param name      the member name, empty for an anonymous struct/union
     * @param type      element type
     * @param dims      array dimensions ({@code []} for none, leading 0 for a flexible array)
     * @param bitWidth  bit-field width, 0 for an ordinary member
     * @param offset    byte offset in the enclosing layout (for a bit-field: of its storage unit)
     * @param bitOffset bit-field's first bit within the unit at {@code offset}
     */
    public record Member(String name, CType type, List<Integer> dims, int bitWidth, long offset, int bitOffset) {
        public Member {
            dims = List.copyOf(dims);
        }

        public boolean isAnonymous() {
            return name.isEmpty();
        }

        public boolean isFlexibleArray() {
            return !dims.isEmpty() && dims.get(0) == 0;
        }

        public long count() {
            long n = 1;
            for (int d : dims) {
                n *= d;
            }
            return n;
        }

        /** {@code sizeof} the member (0 for a flexible array or a bit-field). */
        public long size() {
            return bitWidth > 0 ? 0 : type.size() * count();
        }
    }

    /** One line of {@code hvspec abi dump}: a member path with its offset and size. */
    public record Fact(String path, long offset, long size) {
    }

    private static final Pattern SEGMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)((?:\\[\\d+])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");

    private final Kind kind;
    private final String tag;
    private final List<Member> members;
    private final long size;
    private final long alignment;

    private StructLayout(Kind kind, String tag, List<Member> members, long size, long alignment) {
        this.kind = kind;
        this.tag = tag;
        this.members = List.copyOf(members);
        this.size = size;
        this.alignment = alignment;
    }

    /** Starts {@code struct tag { … }}; a null tag declares an anonymous (inline) struct. */
    public static Builder struct(String tag) {
        return new Builder(Kind.STRUCT, tag);
    }

    /** Starts {@code union tag { … }}; a null tag declares an anonymous (inline) union. */
    public static Builder union(String tag) {
        return new Builder(Kind.UNION, tag);
    }

    public Kind kind() {
        return kind;
    }

    /** The C tag ({@code "kvm_run"}), or null for a type declared inline. */
    public String tag() {
        return tag;
    }

    /** {@code "struct kvm_run"}, or {@code "struct <anonymous>"}. */
    public String cName() {
        return kind.keyword() + " " + (tag == null ? "<anonymous>" : tag);
    }

    public List<Member> members() {
        return members;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public long alignment() {
        return alignment;
    }

    /** The trailing flexible array member, if the struct has one. */
    public Optional<Member> flexibleArray() {
        if (members.isEmpty() || !members.get(members.size() - 1).isFlexibleArray()) {
            return Optional.empty();
        }
        return Optional.of(members.get(members.size() - 1));
    }

    /** Bytes needed for the struct followed by {@code n} elements of its flexible array. */
    public long sizeWith(int n) {
        Member flex = flexibleArray().orElseThrow(
                () -> new IllegalArgumentException(cName() + " has no flexible array member"));
        return Math.max(size, flex.offset() + flex.type().size() * n);
    }

    /** Whether {@code path} names a field of this layout. */
    public boolean has(String path) {
        try {
            field(path);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Resolves a dotted path: member names separated by dots, each optionally indexed
     * ({@code "redirtbl[3].bits"}, {@code "fpr[7][15]"}, {@code "entries[12].function"}; flexible
     * arrays take any index). Anonymous members are looked through.
     *
     * @throws IllegalArgumentException if a name does not exist or an index is out of bounds
     */
    public Field field(String path) {
        CType current = this;
        long offset = 0;
        List<Integer> dims = List.of();
        int bitOffset = 0;
        int bitWidth = 0;
        for (String segment : path.split("\\.", -1)) {
            Matcher m = SEGMENT.matcher(segment);
            if (!m.matches()) {
                throw new IllegalArgumentException("bad path segment '" + segment + "' in " + path);
            }
            if (!(current instanceof StructLayout layout) || !dims.isEmpty() || bitWidth > 0) {
                throw new IllegalArgumentException(path + ": '" + segment + "' is not inside a struct or union");
            }
            Located found = layout.find(m.group(1))
                    .orElseThrow(() -> new IllegalArgumentException(
                            cName() + " has no field " + path + " (at '" + m.group(1) + "')"));
            Member member = found.member();
            offset += found.offset();
            dims = member.dims();
            List<Integer> indices = new ArrayList<>();
            Matcher im = INDEX.matcher(m.group(2));
            while (im.find()) {
                indices.add(Integer.parseInt(im.group(1)));
            }
            if (indices.size() > dims.size()) {
                throw new IllegalArgumentException(path + ": too many indices for " + member.name());
            }
            for (int k = 0; k < indices.size(); k++) {
                int index = indices.get(k);
                boolean flexible = k == 0 && dims.get(0) == 0;
                if (!flexible && index >= dims.get(k)) {
                    throw new IllegalArgumentException(path + ": index " + index + " out of [0, " + dims.get(k) + ")");
                }
                long stride = member.type().size();
                for (int j = k + 1; j < dims.size(); j++) {
                    stride *= dims.get(j);
                }
                offset += index * stride;
            }
            dims = dims.subList(indices.size(), dims.size());
            current = member.type();
            bitOffset = member.bitOffset();
            bitWidth = member.bitWidth();
        }
        return new Field(path, offset, current, dims, bitOffset, bitWidth);
    }

    /**
     * The facts {@code hvspec abi dump} prints for this layout, in declaration order: every named
     * member (anonymous members looked through), descending into members whose type is declared
     * inline (element 0 of an inline-typed array). Members of a named struct type are not repeated:
     * that type has facts of its own. Bit-fields have no {@code offsetof} and are left out;
     * a flexible array member has size 0.
     */
    public List<Fact> facts() {
        List<Fact> out = new ArrayList<>();
        collect("", 0, this, out);
        return List.copyOf(out);
    }

    private static void collect(String prefix, long base, StructLayout layout, List<Fact> out) {
        for (Member m : layout.members) {
            if (m.bitWidth() > 0) {
                continue;
            }
            if (m.isAnonymous()) {
                collect(prefix, base + m.offset(), (StructLayout) m.type(), out);
                continue;
            }
            String path = prefix + m.name();
            out.add(new Fact(path, base + m.offset(), m.size()));
            if (m.type() instanceof StructLayout inner && inner.tag() == null && !m.isFlexibleArray()) {
                collect(path + "[0]".repeat(m.dims().size()) + ".", base + m.offset(), inner, out);
            }
        }
    }

    private record Located(Member member, long offset) {
    }

    private Optional<Located> find(String name) {
        for (Member m : members) {
            if (m.name().equals(name)) {
                return Optional.of(new Located(m, m.offset()));
            }
            if (m.isAnonymous() && m.type() instanceof StructLayout inner) {
                Optional<Located> nested = inner.find(name);
                if (nested.isPresent()) {
                    return Optional.of(new Located(nested.get().member(), m.offset() + nested.get().offset()));
                }
            }
        }
        return Optional.empty();
    }

    private static void names(StructLayout layout, Set<String> seen, String where) {
        for (Member m : layout.members) {
            if (m.isAnonymous()) {
                names((StructLayout) m.type(), seen, where);
            } else if (!seen.add(m.name())) {
                throw new IllegalStateException("duplicate member '" + m.name() + "' in " + where);
            }
        }
    }

    @Override
    public String toString() {
        return cName() + " (" + size + " bytes)";
    }

    /** Declares members in order, like the C declaration; {@link #build()} lays them out. */
    public static final class Builder {
        private record Pending(String name, CType type, List<Integer> dims, int bitWidth) {
        }

        private final Kind kind;
        private final String tag;
        private final List<Pending> pending = new ArrayList<>();

        private Builder(Kind kind, String tag) {
            this.kind = kind;
            this.tag = tag;
        }

        /** {@code type name[d0][d1]…;} (no dimensions for a plain member). */
        public Builder field(String name, CType type, int... dims) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("a named member needs a name");
            }
            List<Integer> list = new ArrayList<>();
            for (int d : dims) {
                if (d <= 0) {
                    throw new IllegalArgumentException(name + ": array dimension must be positive (use flex)");
                }
                list.add(d);
            }
            pending.add(new Pending(name, type, list, 0));
            return this;
        }

        /** {@code type name[];}: a flexible array member, which must be last. */
        public Builder flex(String name, CType type) {
            pending.add(new Pending(name, type, List.of(0), 0));
            return this;
        }

        /** {@code type name : width;}. */
        public Builder bits(String name, Scalar type, int width) {
            if (width <= 0 || width > type.size() * 8) {
                throw new IllegalArgumentException(name + ": bad bit-field width " + width);
            }
            pending.add(new Pending(name, type, List.of(), width));
            return this;
        }

        /** An anonymous struct or union member (its tag must be null). */
        public Builder anonymous(StructLayout inner) {
            if (inner.tag() != null) {
                throw new IllegalArgumentException("an anonymous member must be declared inline");
            }
            pending.add(new Pending("", inner, List.of(), 0));
            return this;
        }

        public Builder u8(String name, int... dims) {
            return field(name, Scalar.U8, dims);
        }

        public Builder s8(String name, int... dims) {
            return field(name, Scalar.S8, dims);
        }

        public Builder u16(String name, int... dims) {
            return field(name, Scalar.U16, dims);
        }

        public Builder u32(String name, int... dims) {
            return field(name, Scalar.U32, dims);
        }

        public Builder s32(String name, int... dims) {
            return field(name, Scalar.S32, dims);
        }

        public Builder u64(String name, int... dims) {
            return field(name, Scalar.U64, dims);
        }

        public Builder s64(String name, int... dims) {
            return field(name, Scalar.S64, dims);
        }

        public Builder chars(String name, int... dims) {
            return field(name, Scalar.CHAR, dims);
        }

        /** Several members of one scalar type, as in {@code __u64 rax, rbx, rcx;}. */
        public Builder each(Scalar type, String... names) {
            for (String n : names) {
                field(n, type);
            }
            return this;
        }

        /** Several members of one struct type, as in {@code struct kvm_segment cs, ds;}. */
        public Builder each(StructLayout type, String... names) {
            for (String n : names) {
                field(n, type);
            }
            return this;
        }

        public StructLayout build() {
            List<Member> laid = new ArrayList<>();
            long alignment = 1;
            long bit = 0;
            long largest = 0;
            for (int i = 0; i < pending.size(); i++) {
                Pending p = pending.get(i);
                boolean flexible = !p.dims().isEmpty() && p.dims().get(0) == 0;
                if (flexible && (i != pending.size() - 1 || kind == Kind.UNION)) {
                    throw new IllegalStateException(p.name() + ": a flexible array must be the last struct member");
                }
                alignment = Math.max(alignment, p.type().alignment());
                if (kind == Kind.UNION) {
                    if (p.bitWidth() > 0) {
                        throw new IllegalStateException("bit-fields in unions are not modelled");
                    }
                    Member m = new Member(p.name(), p.type(), p.dims(), 0, 0, 0);
                    largest = Math.max(largest, m.size());
                    laid.add(m);
                    continue;
                }
                if (p.bitWidth() > 0) {
                    long unitBits = p.type().size() * 8;
                    if (bit / unitBits != (bit + p.bitWidth() - 1) / unitBits) {
                        bit = roundUp(bit, unitBits);
                    }
                    long unitStart = (bit / unitBits) * p.type().size();
                    laid.add(new Member(p.name(), p.type(), p.dims(), p.bitWidth(), unitStart,
                            (int) (bit - unitStart * 8)));
                    bit += p.bitWidth();
                    continue;
                }
                long offset = roundUp(roundUp(bit, 8) / 8, p.type().alignment());
                Member m = new Member(p.name(), p.type(), p.dims(), 0, offset, 0);
                laid.add(m);
                bit = (offset + m.size()) * 8;
            }
            long used = kind == Kind.UNION ? largest : roundUp(bit, 8) / 8;
            StructLayout layout = new StructLayout(kind, tag, laid, roundUp(used, alignment), alignment);
            names(layout, new HashSet<>(), layout.cName());
            return layout;
        }

        private static long roundUp(long value, long multiple) {
            return (value + multiple - 1) / multiple * multiple;
        }
    }
}
