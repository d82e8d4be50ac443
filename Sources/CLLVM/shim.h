// The parts of the LLVM C API the JIT uses. Found through pkg-config (`cllvm.pc`,
// written by scripts/write-cllvm-pc from llvm-config); works with LLVM 14 and newer.
#ifndef CLLVM_SHIM_H
#define CLLVM_SHIM_H

#include <llvm-c/Core.h>
#include <llvm-c/Analysis.h>
#include <llvm-c/Error.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Orc.h>
#include <llvm-c/LLJIT.h>
#include <llvm-c/Transforms/PassBuilder.h>

#endif
