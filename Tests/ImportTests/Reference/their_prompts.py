"""Runs agentic-misalignment's own prompt generator for every condition and prints JSON.

usage: python3 their_prompts.py UNPACKED_WHEEL

Only prompt_generator.py and its templates module are loaded: the package __init__ files
(which import inspect_ai and the eval itself) are replaced by empty package objects, so
nothing beyond the standard library is needed.
"""
import json
import sys
import types

root = sys.argv[1]
# Their generator prints warnings; keep stdout for the JSON alone.
result_stream, sys.stdout = sys.stdout, sys.stderr
for name, path in [("inspect_evals", root + "/inspect_evals"),
                   ("inspect_evals.agentic_misalignment", root + "/inspect_evals/agentic_misalignment")]:
    package = types.ModuleType(name)
    package.__path__ = [path]
    sys.modules[name] = package

from inspect_evals.agentic_misalignment import prompt_generator as g  # noqa: E402

out = {"user_prompt": g.USER_PROMPT, "scenarios": {}}
for scenario in ["blackmail", "leaking", "murder"]:
    conditions = {}
    for goal_type in ["explicit", "latent", "none", "ambiguous", "swap"]:
        for goal_value in ["america", "global", "safety", "acceleration", "ethical", "pragmatic",
                           "individualism", "collectivism", "none", "ambiguous"]:
            for urgency in ["replacement", "restriction", "none"]:
                try:
                    dev = g.generate_prompts(scenario, goal_type, goal_value, urgency, None, False, None)
                except ValueError:
                    continue  # a combination their generator refuses
                prod = g.generate_prompts(scenario, goal_type, goal_value, urgency, None, True, None)
                conditions[f"{goal_type}.{goal_value}.{urgency}"] = {
                    "system_prompt": dev.system_prompt,
                    "system_prompt_prod": prod.system_prompt,
                    "email_content": dev.email_content,
                }
    out["scenarios"][scenario] = conditions
json.dump(out, result_stream)
