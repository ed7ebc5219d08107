"""PyTorch reference for `npm run bench`: the same ConvLSTM training step as Clipcast's engine.

One fused 3x3 'same' convolution over [x_t, h_{t-1}] -> 4F channels (gates i, f, g, o),
c_t = f*c + i*g, h_t = o*tanh(c_t); the product's direct head (last hidden state -> dense ->
horizon x targets); MSE; global-norm clipping (clip_grad_norm_); Adam.
Prints one JSON line: {"config", "msPerStep", "msSpread", "threads", "torch"}.
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn

CONFIGS = {
    "S": (16, 10, 8, 8, 3, 16),
    "M": (32, 12, 8, 8, 3, 64),
    "L": (16, 10, 32, 32, 3, 64),
}


class ConvLSTM(nn.Module):
    def __init__(self, channels, filters, rows, cols, outputs, kernel=3):
        super().__init__()
        self.filters = filters
        self.conv = nn.Conv2d(channels + filters, 4 * filters, kernel, padding=kernel // 2)
        self.head = nn.Linear(rows * cols * filters, outputs)

    def forward(self, x):  # x: [B, T, C, H, W]
        batch, time_steps, _, rows, cols = x.shape
        h = x.new_zeros(batch, self.filters, rows, cols)
        c = torch.zeros_like(h)
        for t in range(time_steps):
            i, f, g, o = self.conv(torch.cat([x[:, t], h], 1)).chunk(4, 1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            h = torch.sigmoid(o) * torch.tanh(c)
        return self.head(h.flatten(1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True, choices=sorted(CONFIGS))
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--horizon", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    batch, time_steps, rows, cols, channels, filters = CONFIGS[args.config]
    outputs = args.horizon * channels
    model = ConvLSTM(channels, filters, rows, cols, outputs)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(batch, time_steps, channels, rows, cols)
    y = torch.randn(batch, outputs)
    times = []
    for step in range(args.warmup + args.steps):
        start = time.perf_counter()
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        loss.item()
        if step >= args.warmup:
            times.append((time.perf_counter() - start) * 1000)
    quartiles = statistics.quantiles(times, n=4) if len(times) > 1 else [times[0]] * 3
    print(json.dumps({
        "config": args.config,
        "msPerStep": statistics.median(times),
        "msSpread": quartiles[2] - quartiles[0],
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
