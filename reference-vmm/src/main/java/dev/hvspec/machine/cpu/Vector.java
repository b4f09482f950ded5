package dev.hvspec.machine.cpu;

/** Exception and interrupt vectors 0-21 (SDM 3A §6.3.1, Table 6-1). */
public final class Vector {
    public static final int DE = 0, DB = 1, NMI = 2, BP = 3, OF = 4, BR = 5, UD = 6, NM = 7, DF = 8,
            TS = 10, NP = 11, SS = 12, GP = 13, PF = 14, MF = 16, AC = 17, MC = 18, XM = 19, VE = 20, CP = 21;

    private static final String[] MNEMONICS = {"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF",
            "CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP"};

    private Vector() {
    }

    /** True for the exceptions that push an error code (SDM 3A Table 6-1 "Error Code" column). */
    public static boolean pushesErrorCode(int vector) {
        return switch (vector) {
            case DF, TS, NP, SS, GP, PF, AC, CP -> true;
            default -> false;
        };
    }

    /** SDM 3A §6.15, Table 6-4/6-5: the contributory exceptions for #DF classification. */
    public static boolean isContributory(int vector) {
        return vector == DE || vector == TS || vector == NP || vector == SS || vector == GP;
    }

    public static String name(int vector) {
        return vector < MNEMONICS.length ? MNEMONICS[vector] : "vector " + vector;
    }
}
