import { AdapterSchema } from '@hyperevolve/contract';
import { TRAINER_NAMES, trainerProfile } from '@hyperevolve/ga-core';
import { choiceOption, option, type Option } from '@hyperevolve/runtime';
import { parseParams, type PluginParams } from './plugin-params.js';

/** null: detected from the training command (ga-core's resolveTrainer). */
export const adapter = choiceOption({
  flag: 'adapter',
  choices: AdapterSchema.options,
  help: 'the trainer profile: how trials are run and read; refused when the command plainly runs another trainer',
  defaultText: "detected from the command: the profile that recognises it as its trainer's, e.g. yolo → ultralytics (-segment, -pose by task), train.py or python -m yolov5.train → yolov5; anything else → generic",
});

/** Each registered profile's params, for the help: `generic: metrics (…; default metrics.json), …`. */
const listed = TRAINER_NAMES.flatMap((name) => {
  const params = trainerProfile(name).params ?? [];
  return params.length === 0 ? [] : [`${name}: ${params.map((param) => `${param.name} (default ${param.default})`).join(', ')}`];
});

/** --adapter-param K=V, as given; campaign/choose-trainer.ts has the profile check them. */
export const adapterParams: Option<PluginParams> = option({
  flags: [
    {
      name: 'adapter-param',
      kind: 'list',
      value: 'K=V',
      help: `one of the trainer profile's params, e.g. metrics=out/metrics.json (repeat for more; ${listed.length === 0 ? 'no profile takes any' : listed.join('; ')}; docs/trainer-profiles.md#profile-params)`,
    },
  ],
  read: (input) => {
    const raw = input.flag('adapter-param');
    return parseParams(Array.isArray(raw) ? raw : [], '--adapter-param', 'metrics=out/metrics.json');
  },
});
