"""The bits of fastcore the course uses (fastcore.test, fastcore.all.store_attr/chunked)."""
