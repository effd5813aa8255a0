# core/: the architecture-neutral hypervisor.
HYP_SRCS += $(wildcard core/*.c)
