/* SPDX-License-Identifier: MIT */
/*
 * PSCI 1.1 function identifiers and return codes (Arm DEN 0022), as used by
 * guests and by the hypervisor's PSCI emulation and firmware calls.
 */
#ifndef BULKHEAD_PSCI_H
#define BULKHEAD_PSCI_H

#define PSCI_VERSION            0x84000000u
#define PSCI_CPU_SUSPEND_32     0x84000001u
#define PSCI_CPU_SUSPEND_64     0xc4000001u
#define PSCI_CPU_OFF            0x84000002u
#define PSCI_CPU_ON_32          0x84000003u
#define PSCI_CPU_ON_64          0xc4000003u
#define PSCI_AFFINITY_INFO_32   0x84000004u
#define PSCI_AFFINITY_INFO_64   0xc4000004u
#define PSCI_MIGRATE_INFO_TYPE  0x84000006u
#define PSCI_SYSTEM_OFF         0x84000008u
#define PSCI_SYSTEM_RESET       0x84000009u
#define PSCI_FEATURES           0x8400000au

#define PSCI_RET_SUCCESS             0
#define PSCI_RET_NOT_SUPPORTED     (-1)
#define PSCI_RET_INVALID_PARAMETERS (-2)
#define PSCI_RET_DENIED            (-3)
#define PSCI_RET_ALREADY_ON        (-4)
#define PSCI_RET_ON_PENDING        (-5)
#define PSCI_RET_INTERNAL_FAILURE  (-6)
#define PSCI_RET_NOT_PRESENT       (-7)
#define PSCI_RET_DISABLED          (-8)
#define PSCI_RET_INVALID_ADDRESS   (-9)

#define PSCI_AFFINITY_ON          0
#define PSCI_AFFINITY_OFF         1
#define PSCI_AFFINITY_ON_PENDING  2

/* MIGRATE_INFO_TYPE: no Trusted OS that needs migration. */
#define PSCI_TOS_NOT_PRESENT_MP   2

#endif /* BULKHEAD_PSCI_H */
