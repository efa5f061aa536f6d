// The Netflix nflxprofile schema (protobuf, proto2) as protobufjs reflection JSON, written for this project from
// the format's definition (github.com/Netflix/nflxprofile, `nflxprofile.proto`). Field numbers and types are what
// the files on disk hold, so they must match that definition exactly; names follow it too (protobufjs keeps them
// as written: `function_name`).
/** protobufjs `Root.fromJSON` input (map fields carry a `keyType`, which protobufjs's `IField` type does not list). */
export const NFLXPROFILE_SCHEMA = {
  nested: {
    nflxprofile: {
      nested: {
        /** Where a frame's code is: a source file, line and column (V8-converted profiles). */
        File: {
          fields: {
            file_name: { rule: 'required', type: 'string', id: 1 },
            line: { type: 'uint32', id: 2 },
            column: { type: 'uint32', id: 3 },
          },
        },
        /** One frame of a node's precomputed stack (profiles with `has_node_stack`). */
        StackFrame: {
          fields: {
            function_name: { rule: 'required', type: 'string', id: 1 },
            libtype: { type: 'string', id: 2 },
            file: { type: 'File', id: 3 },
          },
        },
        Profile: {
          fields: {
            /** Seconds (Unix time, fractional) of the recording's start and end. */
            start_time: { rule: 'required', type: 'double', id: 1 },
            end_time: { rule: 'required', type: 'double', id: 2 },
            /** Per sample, the id of its node (a key of `nodes`). */
            samples: { rule: 'repeated', type: 'uint32', id: 3, options: { packed: true } },
            /** Per sample, seconds since the previous sample (the first: since `start_time`). */
            time_deltas: { rule: 'repeated', type: 'double', id: 4, options: { packed: true } },
            nodes: { keyType: 'uint32', type: 'Node', id: 5 },
            title: { type: 'string', id: 6 },
            description: { type: 'string', id: 7 },
            /** Flags that say which optional parts are filled: `has_node_stack`, `has_parent`, `has_samples_cpu`, … */
            params: { keyType: 'string', type: 'string', id: 8 },
            samples_cpu: { rule: 'repeated', type: 'uint32', id: 9, options: { packed: true } },
            samples_pid: { rule: 'repeated', type: 'uint32', id: 10, options: { packed: true } },
            samples_tid: { rule: 'repeated', type: 'uint32', id: 11, options: { packed: true } },
            samples_value: { rule: 'repeated', type: 'uint64', id: 12, options: { packed: true } },
            /** Idle samples the converter left out of `samples`. */
            idle_sample_count: { type: 'uint32', id: 13 },
          },
          nested: {
            Node: {
              fields: {
                function_name: { rule: 'required', type: 'string', id: 1 },
                hit_count: { rule: 'required', type: 'uint32', id: 2 },
                children: { rule: 'repeated', type: 'uint32', id: 3 },
                libtype: { type: 'string', id: 4 },
                parent: { type: 'uint32', id: 5 },
                pid: { type: 'uint32', id: 6 },
                tid: { type: 'uint32', id: 7 },
                cpu: { type: 'uint32', id: 8 },
                value: { type: 'uint64', id: 9 },
                stack: { rule: 'repeated', type: 'StackFrame', id: 10 },
                file: { type: 'File', id: 11 },
              },
            },
          },
        },
      },
    },
  },
};
