"""TFLite's integer requantization, in NumPy, the ways the runtimes round.

An int8 FULLY_CONNECTED accumulates exact int32 products, then scales the
accumulator by `input_scale * weight_scale / output_scale`, a real number
held as a 31-bit fixed-point multiplier and a power-of-two shift
(`quantize_multiplier`). Both runtimes round twice: gemmlowp's
`SaturatingRoundingDoublingHighMul` to 31 fractional bits, then a rounding
right shift by `-shift`. They break the second rounding's ties apart
(`tests/export/test_rounding.py` checks each against `requantize` on a real
int8 graph, every output):

- ties="away": TensorFlow Lite Micro's reference kernels
  (`RoundingDivideByPOT`: ties away from zero);
- ties="up": LiteRT's builtin FULLY_CONNECTED on this x86 host (ties toward
  +infinity).

So the two differ by one LSB exactly where the first rounding lands on a
half step of the second and the value is negative: about one output in
2^(1 - shift) of the negative ones, the more often the larger the
multiplier. A spiking neuron whose membrane sits at its threshold turns
that LSB into a spike. Every other op of snnzoo's step graphs computes the
same bytes in both (`benchmarks/tflm_diagnostics.py` counts, op by op).
(XNNPACK, LiteRT's default delegate, requantizes in fp32: a third result.)
"""

import numpy as np

TIES = ("away", "up")


def quantize_multiplier(real):
    """`(multiplier, shift)` with `real = multiplier * 2^(shift - 31)`,
    `multiplier` in [2^30, 2^31) (TFLite's `QuantizeMultiplier`)."""
    if real == 0:
        return 0, 0
    mantissa, shift = np.frexp(np.float64(real))
    multiplier = int(round(mantissa * (1 << 31)))
    if multiplier == 1 << 31:
        multiplier //= 2
        shift += 1
    return multiplier, int(shift)


def _rounding_doubling_high_mul(a, b):
    product = a * b
    nudge = np.where(product >= 0, 1 << 30, 1 - (1 << 30))
    total = product + nudge
    # Division truncating toward zero, as C's int64 division.
    return np.where(total >= 0, total >> 31, -((-total) >> 31))


def _rounding_divide_by_pot(x, exponent):
    mask = (1 << exponent) - 1
    remainder = x & mask
    threshold = (mask >> 1) + (x < 0)
    return (x >> exponent) + (remainder > threshold)


def requantize(acc, real_multiplier, zero_point=0, ties="away"):
    """int8 outputs of int32 accumulators `acc` scaled by `real_multiplier`
    (scalar, or one per output channel on the last axis), with the output
    zero point added and int8 saturation, as a runtime whose shift breaks
    ties `ties` computes them ("away": TFLM, "up": LiteRT builtin; see the
    module docstring)."""
    if ties not in TIES:
        raise ValueError(f"`ties`: expected one of {TIES}; got {ties!r}.")
    acc = np.asarray(acc, np.int64)
    multipliers = np.broadcast_to(np.asarray(real_multiplier, np.float64), acc.shape[-1:])
    out = np.empty(acc.shape, np.int64)
    for channel, real in enumerate(multipliers):
        fixed, shift = quantize_multiplier(real)
        left, right = max(shift, 0), max(-shift, 0)
        high = _rounding_doubling_high_mul(acc[..., channel] * (1 << left), np.int64(fixed))
        if ties == "away":
            out[..., channel] = _rounding_divide_by_pot(high, right)
        else:
            out[..., channel] = (high + (1 << right >> 1)) >> right
    return np.clip(out + zero_point, -128, 127).astype(np.int8)


def multiply_smaller_than_one(x, real):
    """TFLite's `MultiplyByQuantizedMultiplierSmallerThanOneExp(x, real)`
    (TFLM's rounding: ties away from zero) for `0 <= real < 1`: what the
    int8 comparison kernels scale each operand by. A multiplier below
    2^-32 is 0, as TFLite's `QuantizeMultiplier` makes it."""
    fixed, shift = quantize_multiplier(real)
    if shift < -31 or fixed == 0:
        return np.zeros(np.shape(x), np.int64)
    high = _rounding_doubling_high_mul(np.asarray(x, np.int64), np.int64(fixed))
    return _rounding_divide_by_pot(high, -shift)
