"""Correctly's LoRA trainer: supervised fine-tuning of Gemma 3 (1B, instruction-tuned) on correction triples.

Run `python -m trainer.train --help`. Progress goes to stdout as JSON lines (see trainer/progress.py).
"""
