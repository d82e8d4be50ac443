// Placeholder until the JIT lands.
