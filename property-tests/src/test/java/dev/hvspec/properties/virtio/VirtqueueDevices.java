package dev.hvspec.properties.virtio;

/** The implementation under test: the class named by {@code hvspec.virtqueue.spi}, else the reference. */
final class VirtqueueDevices {
    private VirtqueueDevices() {
    }

    static VirtqueueDeviceSpi underTest() {
        String name = System.getProperty("hvspec.virtqueue.spi");
        if (name == null || name.isBlank()) {
            return new ReferenceVirtqueueDevice();
        }
        try {
            return (VirtqueueDeviceSpi) Class.forName(name).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load virtqueue SPI implementation " + name, e);
        }
    }
}
