package dev.hvspec.machine.cpu.isa;

/**
 * A position in an {@link Assembler}'s output, bound with {@link Assembler#bind(Label)}. Labels
 * belong to the assembler that created them.
 */
public final class Label {
    final Assembler owner;
    final int id;
    final String name;

    Label(Assembler owner, int id, String name) {
        this.owner = owner;
        this.id = id;
        this.name = name;
    }

    @Override
    public String toString() {
        return name != null ? name : "L" + id;
    }
}
