package dev.hvspec.vmm.virtio.balloon;

import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.vmm.virtio.VirtioDevice;
import dev.hvspec.vmm.virtio.VirtioDeviceType;
import dev.hvspec.vmm.virtio.queue.DescriptorChain;
import dev.hvspec.vmm.virtio.queue.Segment;
import dev.hvspec.vmm.virtio.queue.Virtqueue;
import dev.hvspec.vmm.virtio.queue.VirtqueueException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static dev.hvspec.vmm.virtio.VirtioFeatures.bit;

/**
 * The traditional memory balloon (virtio 1.3 §5.5): inflateq (0), deflateq (1), then statsq with
 * VIRTIO_BALLOON_F_STATS_VQ, free_page_vq with VIRTIO_BALLOON_F_FREE_PAGE_HINT and reporting_vq
 * with VIRTIO_BALLOON_F_PAGE_REPORTING, numbered in that order over the queues that exist under
 * the negotiated features (§5.5.2: "statsq only exists if ..."), as Linux's driver and QEMU number
 * them: with all three, 2, 3 and 4; with reporting alone, reporting_vq is 2. Configuration: {@code le32 num_pages} (the host's
 * target, device-written), {@code le32 actual} (driver-written), {@code le32
 * free_page_hint_cmd_id}, {@code le32 poison_val} (driver-written with PAGE_POISON).
 *
 * <p>Inflate and deflate buffers are arrays of le32 page frame numbers of 4096-byte pages
 * (§5.5.6). The device frees an inflated page by overwriting it — with zeroes, or with
 * {@code poison_val} if VIRTIO_BALLOON_F_PAGE_POISON was negotiated (§5.5.6.6.2: the device MAY
 * use it as a hint) — which is what discarding a page of host memory looks like to the guest;
 * the board can plug in a real reclaimer. Page numbers outside guest RAM are ignored.
 *
 * <p>The stats queue is device-driven (§5.5.6.3): the device keeps the driver's buffer until the
 * host asks for statistics, then returns it so the driver refills it. It never holds more than
 * one buffer: a second one (which the driver must not offer) makes the device return the first.
 *
 * <p>Free page hinting (§5.5.6.5): the host starts a round by writing a new command ID (2 or more,
 * never reused) to {@code free_page_hint_cmd_id}; the driver answers on free_page_vq with a 4-byte
 * output buffer holding that ID, then input buffers of free pages, then VIRTIO_BALLOON_CMD_ID_STOP.
 * The device records the pages hinted under the current ID ({@link #hintedPages()}, what a
 * migration would skip) and ignores pages sent under any other ID; it never modifies a hinted
 * page. The host ends a round with STOP or DONE.
 *
 * <p>Free page reporting (§5.5.6.7): each reporting_vq buffer is a scatter-gather list of free
 * guest pages. The device discards them before using the buffer — they read back as zeroes, or as
 * {@code poison_val} with PAGE_POISON ("MUST NOT modify ... to a value other than poison_val").
 *
 * <p>Offered: MUST_TELL_HOST, STATS_VQ, DEFLATE_ON_OOM, FREE_PAGE_HINT, PAGE_POISON, PAGE_REPORTING.
 */
public final class VirtioBalloon extends VirtioDevice {
    public static final int F_MUST_TELL_HOST = 0;
    public static final int F_STATS_VQ = 1;
    public static final int F_DEFLATE_ON_OOM = 2;
    public static final int F_FREE_PAGE_HINT = 3;
    public static final int F_PAGE_POISON = 4;
    public static final int F_PAGE_REPORTING = 5;

    public static final int INFLATEQ = 0;
    public static final int DEFLATEQ = 1;
    /** statsq's index when STATS_VQ is negotiated (it is always the first optional queue). */
    public static final int STATSQ = 2;
    /** §5.5.6.5: reserved command IDs. */
    public static final int CMD_ID_STOP = 0;
    public static final int CMD_ID_DONE = 1;
    public static final int CFG_NUM_PAGES = 0;
    public static final int CFG_ACTUAL = 4;
    public static final int CFG_FREE_PAGE_HINT_CMD_ID = 8;
    public static final int CFG_POISON_VAL = 12;
    public static final int CONFIG_SIZE = 16;
    public static final int PAGE = 4096;
    public static final int STAT_ENTRY = 10;
    /** Page numbers taken from one buffer (Linux sends at most 256); more are ignored and counted. */
    public static final int MAX_PFNS_PER_BUFFER = 1 << 16;
    /**
     * Pages of hint or report buffers looked at per notification (1 GiB); the rest are ignored,
     * which hints and reports allow (the device MAY use them). Bounds the work a driver can ask for
     * with many long segments over the same memory.
     */
    public static final int MAX_FREE_PAGES_PER_NOTIFICATION = 1 << 18;

    /** What happens to a page when it enters or leaves the balloon (the board's memory manager). */
    public interface PageReclaimer {
        /** The page at {@code gpa} is in the balloon: its host memory may be discarded. */
        void release(long gpa);

        /** The page at {@code gpa} left the balloon. */
        void restore(long gpa);
    }

    private final byte[] config = new byte[CONFIG_SIZE];
    private final ByteBuffer cfg = ByteBuffer.wrap(config).order(ByteOrder.LITTLE_ENDIAN);
    private final PageReclaimer reclaimer;
    private final Set<Long> inBalloon = new HashSet<>();
    private final Map<Integer, Long> stats = new LinkedHashMap<>();
    private DescriptorChain statsBuffer;
    private long ignoredPages;
    private final Set<Long> hinted = new HashSet<>();
    private long nextCmdId = 2;
    /** The command ID of the driver's last output buffer on free_page_vq, or -1 after STOP or none. */
    private long driverCmdId = -1;
    private long ignoredHints;
    private int pageBudget;

    /** A balloon whose reclaimer only tracks pages (the device still scrubs released pages). */
    public VirtioBalloon() {
        this(new PageReclaimer() {
            @Override
            public void release(long gpa) {
            }

            @Override
            public void restore(long gpa) {
            }
        });
    }

    public VirtioBalloon(PageReclaimer reclaimer) {
        this.reclaimer = reclaimer;
    }

    @Override
    public VirtioDeviceType type() {
        return VirtioDeviceType.BALLOON;
    }

    @Override
    public long deviceFeatures() {
        return bit(F_MUST_TELL_HOST) | bit(F_STATS_VQ) | bit(F_DEFLATE_ON_OOM) | bit(F_FREE_PAGE_HINT)
                | bit(F_PAGE_POISON) | bit(F_PAGE_REPORTING);
    }

    /** inflateq, deflateq, statsq, free_page_vq, reporting_vq when every feature is negotiated. */
    @Override
    public int queueCount() {
        return 5;
    }

    /**
     * §5.5.2: the index of the optional queue that {@code feature} (STATS_VQ, FREE_PAGE_HINT or
     * PAGE_REPORTING) brings, counting only the queues that exist; -1 if it is not negotiated.
     */
    public int queueIndexFor(int feature) {
        synchronized (lock()) {
            if (!negotiated(feature)) {
                return -1;
            }
            int index = 2;
            for (int earlier : new int[] {F_STATS_VQ, F_FREE_PAGE_HINT, F_PAGE_REPORTING}) {
                if (earlier == feature) {
                    return index;
                }
                index += negotiated(earlier) ? 1 : 0;
            }
            throw new IllegalArgumentException("feature " + feature + " brings no queue");
        }
    }

    @Override
    public byte[] config() {
        return config;
    }

    /** §5.5.4: actual is written by the driver; poison_val too, with PAGE_POISON. */
    @Override
    protected void configWritten(int offset, int size, long value) {
        for (int i = 0; i < size; i++) {
            int at = offset + i;
            boolean writable = (at >= CFG_ACTUAL && at < CFG_ACTUAL + 4)
                    || (at >= CFG_POISON_VAL && at < CFG_POISON_VAL + 4 && negotiated(F_PAGE_POISON));
            if (writable) {
                config[at] = (byte) (value >>> (8 * i));
            }
        }
    }

    @Override
    protected void resetDevice() {
        int target = cfg.getInt(CFG_NUM_PAGES);
        Arrays.fill(config, (byte) 0);
        cfg.putInt(CFG_NUM_PAGES, target); // the host's request survives a guest reset
        statsBuffer = null;
        stats.clear();
        hinted.clear(); // free_page_hint_cmd_id is 0 again: VIRTIO_BALLOON_CMD_ID_STOP
        driverCmdId = -1;
    }

    // ---- host side ----

    /** The host asks for {@code pages} pages in the balloon (num_pages), a configuration change. */
    public void setTarget(int pages) {
        synchronized (lock()) {
            cfg.putInt(CFG_NUM_PAGES, pages);
            configChanged();
        }
    }

    public int actual() {
        synchronized (lock()) {
            return cfg.getInt(CFG_ACTUAL);
        }
    }

    /** Guest-physical addresses of the pages in the balloon now. */
    public Set<Long> pagesInBalloon() {
        synchronized (lock()) {
            return Collections.unmodifiableSet(new HashSet<>(inBalloon));
        }
    }

    public long ignoredPages() {
        synchronized (lock()) {
            return ignoredPages;
        }
    }

    /** The latest statistics by tag (§5.5.6.3); unknown tags are kept apart only by number. */
    public Map<Integer, Long> statistics() {
        synchronized (lock()) {
            return Map.copyOf(stats);
        }
    }

    /** The host wants fresh statistics: give the held buffer back so the driver refills it. */
    public boolean requestStatistics() {
        synchronized (lock()) {
            Virtqueue q = queue(STATSQ);
            if (statsBuffer == null || q == null || !live() || !negotiated(F_STATS_VQ)) {
                return false;
            }
            try {
                q.push(statsBuffer, 0);
                statsBuffer = null;
                notifyUsedIfNeeded(STATSQ);
                return true;
            } catch (VirtqueueException e) {
                fail(e);
                return false;
            }
        }
    }

    // ---- free page hinting (host side) ----

    /**
     * Starts a round of free page hinting: a fresh command ID in free_page_hint_cmd_id and a
     * configuration change. IDs count up from 2 and are not reused (§5.5.6.5.2: "MUST NOT reuse a
     * command ID until it has received ... VIRTIO_BALLOON_CMD_ID_STOP"). Returns the ID, or -1 if
     * FREE_PAGE_HINT was not negotiated.
     */
    public long startFreePageHinting() {
        synchronized (lock()) {
            if (!negotiated(F_FREE_PAGE_HINT)) {
                return -1;
            }
            long id = nextCmdId;
            nextCmdId = nextCmdId == 0xFFFF_FFFFL ? 2 : nextCmdId + 1;
            hinted.clear();
            setCmdId(id);
            return id;
        }
    }

    /** The host cannot use hints now: VIRTIO_BALLOON_CMD_ID_STOP (§5.5.6.5.2 "SHOULD set ... STOP"). */
    public void stopFreePageHinting() {
        synchronized (lock()) {
            setCmdId(CMD_ID_STOP);
        }
    }

    /** The host no longer needs the hinted pages: VIRTIO_BALLOON_CMD_ID_DONE (§5.5.6.5.2 "MUST report"). */
    public void finishFreePageHinting() {
        synchronized (lock()) {
            setCmdId(CMD_ID_DONE);
        }
    }

    private void setCmdId(long id) {
        cfg.putInt(CFG_FREE_PAGE_HINT_CMD_ID, (int) id);
        configChanged();
    }

    /** Guest-physical addresses of the 4 KiB pages hinted free in the current round. */
    public Set<Long> hintedPages() {
        synchronized (lock()) {
            return Set.copyOf(hinted);
        }
    }

    /** Hint buffers ignored because they came under a command ID that was not the current one. */
    public long ignoredHints() {
        synchronized (lock()) {
            return ignoredHints;
        }
    }

    // ---- queues ----

    @Override
    protected void queueNotified(int index) {
        if (index == INFLATEQ) {
            drain(index, chain -> pages(chain, true));
        } else if (index == DEFLATEQ) {
            drain(index, chain -> pages(chain, false));
        } else if (index == queueIndexFor(F_STATS_VQ)) {
            takeStatistics();
        } else if (index == queueIndexFor(F_FREE_PAGE_HINT)) {
            pageBudget = MAX_FREE_PAGES_PER_NOTIFICATION;
            drain(index, this::hint);
        } else if (index == queueIndexFor(F_PAGE_REPORTING)) {
            pageBudget = MAX_FREE_PAGES_PER_NOTIFICATION;
            Set<Long> discarded = new HashSet<>(); // each page written at most once per notification
            drain(index, chain -> report(chain, discarded));
        }
        // a queue index no negotiated feature brings does not exist: ignored
    }

    /**
     * One free_page_vq buffer (§5.5.6.5): a 4-byte output buffer names a command ID; input
     * buffers are hinted pages, kept only while the driver's ID is the current
     * free_page_hint_cmd_id (§5.5.6.5.2: "MUST ignore pages that are provided with a command ID
     * that does not match"). The device writes nothing into the buffers.
     */
    private long hint(DescriptorChain chain) throws GuestMemoryFault {
        if (chain.readableBytes() == 4) {
            long id = ByteBuffer.wrap(chain.read(memory(), 0, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFF_FFFFL;
            driverCmdId = id == CMD_ID_STOP ? -1 : id;
        }
        if (chain.writableBytes() == 0) {
            return 0;
        }
        long current = cfg.getInt(CFG_FREE_PAGE_HINT_CMD_ID) & 0xFFFF_FFFFL;
        if (current < 2 || driverCmdId != current) {
            ignoredHints++;
            return 0;
        }
        for (Segment s : chain.writableSegments()) {
            // whole 4 KiB pages inside the segment (segments were checked to be in RAM by the ring)
            for (long page = (s.address() + PAGE - 1) & -PAGE; page + PAGE <= s.address() + s.length() && pageBudget > 0;
                    page += PAGE) {
                pageBudget--;
                hinted.add(page);
            }
        }
        return 0;
    }

    /**
     * One reporting_vq buffer (§5.5.6.7): the pages are discarded, which the guest sees as zeroes,
     * or as poison_val with PAGE_POISON (§5.5.6.7.2). Used length 0: no data is returned.
     */
    private long report(DescriptorChain chain, Set<Long> discarded) throws GuestMemoryFault {
        byte[] fill = fillPattern();
        for (Segment s : chain.writableSegments()) {
            for (long page = s.address() & -PAGE; page < s.address() + s.length() && pageBudget > 0; page += PAGE) {
                pageBudget--;
                long from = Math.max(page, s.address());
                long to = Math.min(page + PAGE, s.address() + s.length());
                if (to - from < PAGE || discarded.add(page)) {
                    memory().write(from, Arrays.copyOfRange(fill, (int) (from - page), (int) (to - page)));
                }
            }
        }
        return 0;
    }

    /** A page of zeroes, or of poison_val with PAGE_POISON (§5.5.6.6). */
    private byte[] fillPattern() {
        int poison = negotiated(F_PAGE_POISON) ? cfg.getInt(CFG_POISON_VAL) : 0;
        byte[] fill = new byte[PAGE];
        for (int i = 0; i < PAGE; i++) {
            fill[i] = (byte) (poison >>> (8 * (i % 4)));
        }
        return fill;
    }

    private long pages(DescriptorChain chain, boolean inflate) throws GuestMemoryFault {
        long count = Math.min(chain.readableBytes() / 4, MAX_PFNS_PER_BUFFER);
        ignoredPages += chain.readableBytes() / 4 - count;
        byte[] fill = fillPattern();
        for (long done = 0; done < count; done += 1024) {
            int n = (int) Math.min(1024, count - done);
            ByteBuffer pfns = ByteBuffer.wrap(chain.read(memory(), 4 * done, 4 * n)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                long gpa = (pfns.getInt(4 * i) & 0xFFFF_FFFFL) * PAGE; // §5.5.6: "divided by 4096"
                if (!memory().isRam(gpa, PAGE)) {
                    ignoredPages++;
                    continue;
                }
                if (inflate) {
                    // §5.5.6.1: the device MAY modify a page after seeing it in an inflate request.
                    // A page already in the balloon is not scrubbed again: work stays bounded by RAM.
                    if (inBalloon.add(gpa)) {
                        memory().write(gpa, fill);
                        reclaimer.release(gpa);
                    }
                } else if (inBalloon.remove(gpa)) {
                    reclaimer.restore(gpa);
                }
            }
        }
        return 0; // the device acknowledges by using the buffer; it writes nothing into it
    }

    /** §5.5.6.3: consume the statistics, keep the buffer to request the next ones. */
    private void takeStatistics() {
        Virtqueue q = queue(STATSQ);
        try {
            for (DescriptorChain c = q.pop(); c != null; c = q.pop()) {
                if (statsBuffer != null) {
                    q.push(statsBuffer, 0); // the driver offered a second buffer: give the first back
                    notifyUsedIfNeeded(STATSQ);
                }
                statsBuffer = c;
                int entries = (int) Math.min(c.readableBytes() / STAT_ENTRY, 1024);
                ByteBuffer b = ByteBuffer.wrap(c.read(memory(), 0, entries * STAT_ENTRY)).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < entries; i++) {
                    // §5.5.6.3.1: entries in any order; unknown tags are ignored.
                    int tag = b.getShort(i * STAT_ENTRY) & 0xFFFF;
                    if (tag <= 9) {
                        stats.put(tag, b.getLong(i * STAT_ENTRY + 2));
                    }
                }
            }
        } catch (VirtqueueException e) {
            fail(e);
        } catch (GuestMemoryFault fault) {
            fail(new VirtqueueException(dev.hvspec.vmm.virtio.queue.RingViolation.OUTSIDE_MEMORY, fault.getMessage()));
        }
    }

    /** The stats buffer currently held, for diagnostics. */
    public boolean holdingStatisticsBuffer() {
        synchronized (lock()) {
            return statsBuffer != null;
        }
    }
}
