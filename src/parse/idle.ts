// The kernel idle loop: a sample is idle when its thread is `swapper` (pid 0) and its leaf frame is an idle
// routine. Interrupt work done on an idle CPU keeps its own leaf, so it is kept (unlike FlameScope, issue #143).
import type { Frame, IdleRule } from './profile';

const IDLE_LEAF =
  /^(?:cpu_idle|cpu_idle_poll|cpuidle_idle_call|cpuidle_enter_state|cpuidle_enter|arch_cpu_idle|default_idle|default_idle_call|do_idle|intel_idle(?:_\w+)?|acpi_idle_do_entry|acpi_idle_enter|acpi_safe_halt|(?:pv_|hv_)?native_safe_halt|safe_halt|poll_idle|mwait_idle\w*|cpu_bringup_and_idle|xen_hypercall_sched_op|xen_hypercall_vcpu_op|hypercall_page|amd_e400_idle|cpu_idle_loop|io_idle)(?:\.[\w.]+)?$/;

export function isIdleLeafSymbol(symbol: string): boolean {
  return IDLE_LEAF.test(symbol);
}

export const kernelIdleRule: IdleRule = {
  comm: (name) => name === 'swapper' || name.startsWith('swapper/'),
  stacks(stackFrame: Int32Array, frames: readonly Frame[]): Uint8Array {
    const idleFrame = frames.map((f) => isIdleLeafSymbol(f.symbol));
    const out = new Uint8Array(stackFrame.length);
    for (let s = 0; s < stackFrame.length; s++) out[s] = idleFrame[stackFrame[s]!] ? 1 : 0;
    return out;
  },
};
