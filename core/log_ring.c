/* SPDX-License-Identifier: MIT */
/*
 * The log channel's producer (see log_ring.h). The ring is the partition
 * runtime's (partitions/runtime/ring.c), compiled into the hypervisor too,
 * in its lossy mode: a full ring counts the record as dropped where the
 * service partition reads the count, so a slow or stopped service partition
 * never holds a core up. The ring's own checks keep a service partition that
 * writes garbage into its control block from steering the hypervisor's
 * writes: its index is only ever compared, never used as an address.
 */
#include <bulkhead/channel.h>
#include "log_ring.h"
#include "bhrt_ring.h"
#include "cfg.h"
#include "lib.h"
#include "log.h"
#include "partition.h"
#include "spinlock.h"
#include "virq.h"

static struct rt_ring log_ring;
static struct rt_ring_area log_area;
static bool log_attached;
static bool log_failsafe;

/* The log channel as bhcc must have emitted it; anything else is a table bug. */
/* Implements: REQ-LOG-001~2 */
static const struct cfg_channel *log_channel(void)
{
	const struct cfg_channel *c;

	if ((cfg_system.service == CFG_NO_PARTITION) || (cfg_system.log_channel >= cfg_system.n_channels)) {
		return NULL;
	}
	c = &cfg_system.channels[cfg_system.log_channel];
	if ((c->kind != (uint8_t)CFG_CHANNEL_LOG) || (c->one_way == 0u) ||
	    (c->end[0].kind != (uint8_t)CFG_END_HYPERVISOR) || (c->end[1].kind != (uint8_t)CFG_END_PARTITION) ||
	    (c->end[1].partition != cfg_system.service) || ((c->pa % BH_CHANNEL_PAGE) != 0u) ||
	    (c->size < BH_CHANNEL_MIN_DIRECTION)) {
		panic("log channel %u: not a one-way channel from the hypervisor to the service partition",
		      cfg_system.log_channel);
	}
	return c;
}

/* Implements: REQ-LOG-001~2 */
void log_ring_init(void)
{
	const struct cfg_channel *c = log_channel();
	void *receiver;
	void *sender;
	uint64_t room;
	uint32_t capacity = 2u;

	log_failsafe = false;
	if (c == NULL) {
		return;
	}
	/* One direction: the service partition's page, then the hypervisor's pages. */
	receiver = pa_ptr(pa_init(c->pa));
	sender = pa_ptr(pa_init(c->pa + BH_CHANNEL_PAGE));
	room = c->size - BH_CHANNEL_PAGE - BH_CHANNEL_SLOTS_OFFSET;
	while (((uint64_t)capacity * 2u * BH_CONSOLE_SLOT) <= room) {
		capacity *= 2u;
	}
	/* Whatever the memory held before boot is no ring yet. */
	(void)memset(receiver, 0, RT_RING_CONTROL_SIZE);
	(void)memset(sender, 0, RT_RING_CONTROL_SIZE);
	log_area = (struct rt_ring_area){
		.producer = sender,
		.consumer = receiver,
		.slots = pa_ptr(pa_init(c->pa + BH_CHANNEL_PAGE + BH_CHANNEL_SLOTS_OFFSET)),
		.capacity = capacity,
		.slot_size = BH_CONSOLE_SLOT,
	};
	if (rt_ring_attach_producer(&log_ring, &log_area, RT_RING_LOSSY) != RT_RING_OK) {
		panic("log channel %u: no ring fits its %lu bytes", cfg_system.log_channel, c->size);
	}
	log_attached = true;
}

/* Implements: REQ-LOG-001~2 */
bool log_ring_is_service(uint32_t id)
{
	return (cfg_system.service != CFG_NO_PARTITION) && (id == cfg_system.service);
}

/* Implements: REQ-FSF-006 */
void log_ring_failsafe(void)
{
	__atomic_store_n(&log_failsafe, true, __ATOMIC_RELEASE);
}

/*
 * Whether the service partition prints the log now: from its first start on,
 * through its restarts (it drains what waited when it is back), until it
 * stops for good or a fail-safe stop begins.
 * Implements: REQ-LOG-001~2, REQ-LOG-003
 */
static bool service_listens(void)
{
	const struct partition *s;
	enum partition_state state;

	if (!log_attached || __atomic_load_n(&log_failsafe, __ATOMIC_ACQUIRE)) {
		return false;
	}
	s = partition_get(cfg_system.service);
	state = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
	return (state == PARTITION_RUNNING) ||
	       ((state == PARTITION_LOADING) && (__atomic_load_n(&s->restarts, __ATOMIC_ACQUIRE) != 0u));
}

/* Implements: REQ-LOG-001~2 */
static void ring_doorbell(void)
{
	const struct cfg_channel_end *e = &cfg_system.channels[cfg_system.log_channel].end[1];

	if (e->doorbell != CFG_NO_DOORBELL) {
		/* By message, even to this cpu. Refused while the service
		 * partition is off: it drains the ring when it starts. */
		(void)core_vcpu_post(partition_get(e->partition), e->vcpu, e->doorbell);
	}
}

/* Several cores log at once; the ring has one producer (and, once the service partition has stopped, one consumer). */
static struct spinlock log_lock = SPINLOCK_INIT;

/* One record, the lock held. */
/* Implements: REQ-LOG-001~2, REQ-LOG-002 */
static enum rt_ring_status send_locked(const uint8_t *rec, size_t len)
{
	enum rt_ring_status rc = rt_ring_send(&log_ring, rec, len);

	if (rc == RT_RING_CORRUPT) {
		/* The service partition wrote an impossible index: start again from it. */
		(void)rt_ring_attach_producer(&log_ring, &log_area, RT_RING_LOSSY);
		rc = rt_ring_send(&log_ring, rec, len);
	}
	return rc;
}

/* Implements: REQ-LOG-001~2, REQ-LOG-002 */
bool log_ring_put(const uint8_t *rec, size_t len)
{
	enum rt_ring_status rc;

	if (!service_listens() || (len > (BH_CONSOLE_SLOT - RT_RING_SLOT_HEADER))) {
		return false;
	}
	spin_lock(&log_lock);
	rc = send_locked(rec, len);
	spin_unlock(&log_lock);
	if (rc < RT_RING_OK) {
		return false;
	}
	ring_doorbell();
	return true;
}

/* Implements: REQ-LOG-001~2, REQ-LOG-002 */
bool log_ring_put_text(uint32_t source, const char *s, size_t len)
{
	uint8_t rec[BH_CONSOLE_SLOT - RT_RING_SLOT_HEADER];
	const size_t part_max = sizeof(rec) - 2u;
	size_t done = 0u;

	if (!service_listens() || (len > BH_LOG_LINE_MAX)) {
		return false;
	}
	rec[0] = (uint8_t)source;
	/* All parts under one hold of the lock: another core's line never lands between
	 * two parts, so the service partition joins only what belongs together. */
	spin_lock(&log_lock);
	do {
		size_t n = ((len - done) > part_max) ? part_max : (len - done);

		rec[1] = ((done + n) < len) ? (uint8_t)BH_LOG_TEXT_MORE : (uint8_t)BH_LOG_TEXT;
		(void)memcpy(&rec[2], &s[done], n);
		/* A part the ring has no room for is counted as dropped, as any record. */
		(void)send_locked(rec, n + 2u);
		done += n;
	} while (done < len);
	spin_unlock(&log_lock);
	ring_doorbell();
	return true;
}

/* The service partition's side of the ring, taken over once it has stopped for good. */
static struct rt_ring leftover;

/* Implements: REQ-LOG-005 */
uint32_t log_ring_leftovers(uint32_t *dropped)
{
	uint32_t n = 0u;

	*dropped = 0u;
	if (log_attached) {
		spin_lock(&log_lock);
		/* Its tail as it left it; an impossible one skips to the head (nothing to print). */
		if (rt_ring_attach_consumer(&leftover, &log_area) == RT_RING_OK) {
			n = rt_ring_pending(&leftover);
			*dropped = rt_ring_dropped(&leftover);
		}
		spin_unlock(&log_lock);
	}
	return n;
}

/* Implements: REQ-LOG-005 */
bool log_ring_leftover(uint64_t rec[BH_CONSOLE_SLOT / 8u], size_t *len)
{
	enum rt_ring_status rc;

	spin_lock(&log_lock);
	rc = rt_ring_recv(&leftover, rec, BH_CONSOLE_SLOT - RT_RING_SLOT_HEADER, len);
	spin_unlock(&log_lock);
	return rc == RT_RING_OK;
}
