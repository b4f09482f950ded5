package dev.hvspec.machine.chipset;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

/**
 * The MC146818A's time and calendar registers as binary numbers, indexed by register address
 * (seconds 0x00, minutes 0x02, hours 0x04, day of week 0x06, date 0x07, month 0x08, year 0x09).
 * Values stay as written until {@link #advance} normalises them ("Time, Calendar and Alarm
 * Locations"): the day of week is its own counter (1-7, Sunday = 1) that steps at midnight, not a
 * function of the date; years 00-99 are 2000-2099.
 *
 * <p>Not thread-safe: owned by {@link Mc146818Rtc}.
 */
final class RtcCalendar {
    private final int[] fields = new int[10]; // indices 1, 3, 5 (alarms) unused

    void set(LocalDateTime time) {
        fields[Mc146818Rtc.SECONDS] = time.getSecond();
        fields[Mc146818Rtc.MINUTES] = time.getMinute();
        fields[Mc146818Rtc.HOURS] = time.getHour();
        fields[Mc146818Rtc.DAY_OF_WEEK] = time.getDayOfWeek().getValue() % 7 + 1; // Monday=1 → 2, Sunday=7 → 1
        fields[Mc146818Rtc.DAY_OF_MONTH] = time.getDayOfMonth();
        fields[Mc146818Rtc.MONTH] = time.getMonthValue();
        fields[Mc146818Rtc.YEAR] = Math.floorMod(time.getYear(), 100);
    }

    int field(int register) {
        return fields[register];
    }

    void setField(int register, int value) {
        fields[register] = value;
    }

    /** Advances by {@code seconds} update cycles, carrying into minutes, hours, days, months, years. */
    void advance(long seconds) {
        if (seconds <= 0) {
            return;
        }
        int month = Math.min(Math.max(fields[Mc146818Rtc.MONTH], 1), 12);
        LocalDate firstOfMonth = LocalDate.of(2000 + Math.floorMod(fields[Mc146818Rtc.YEAR], 100), month, 1);
        long before = (firstOfMonth.toEpochDay() + fields[Mc146818Rtc.DAY_OF_MONTH] - 1) * 86_400L
                + fields[Mc146818Rtc.HOURS] * 3_600L + fields[Mc146818Rtc.MINUTES] * 60L + fields[Mc146818Rtc.SECONDS];
        long after = before + seconds;
        long days = Math.floorDiv(after, 86_400L) - Math.floorDiv(before, 86_400L);
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(after, 86_400L));
        int secondOfDay = (int) Math.floorMod(after, 86_400L);
        fields[Mc146818Rtc.SECONDS] = secondOfDay % 60;
        fields[Mc146818Rtc.MINUTES] = secondOfDay / 60 % 60;
        fields[Mc146818Rtc.HOURS] = secondOfDay / 3600;
        fields[Mc146818Rtc.DAY_OF_WEEK] = (int) Math.floorMod(fields[Mc146818Rtc.DAY_OF_WEEK] - 1 + days, 7L) + 1;
        fields[Mc146818Rtc.DAY_OF_MONTH] = date.getDayOfMonth();
        fields[Mc146818Rtc.MONTH] = date.getMonthValue();
        fields[Mc146818Rtc.YEAR] = Math.floorMod(date.getYear() - 2000, 100);
    }

    List<Integer> fields() {
        return java.util.Arrays.stream(fields).boxed().toList();
    }

    void setFields(List<Integer> values) {
        for (int i = 0; i < fields.length; i++) {
            fields[i] = values.get(i);
        }
    }
}
