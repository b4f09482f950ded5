package dev.hvspec.properties.chipset;

/** The implementation under test: the class named by {@value #PROPERTY}, else the reference. */
final class ChipsUnderTest {
    static final String PROPERTY = "hvspec.chipset.spi";

    private ChipsUnderTest() {
    }

    static InterruptTimerChipsSpi get() {
        String name = System.getProperty(PROPERTY);
        if (name == null || name.isBlank()) {
            return new ReferenceInterruptTimerChips();
        }
        try {
            return (InterruptTimerChipsSpi) Class.forName(name).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load chipset SPI implementation " + name, e);
        }
    }
}
