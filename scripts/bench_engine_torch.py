#!/usr/bin/python3
"""Measure PyTorch training and inference throughput for the networks that crimp benchmarks.

This is the Python side of scripts/bench_engine.sh. It repeats crimp's training step and
inference loop in plain PyTorch on the same CIFAR-10 binary files, so that the two numbers
compare the same work. It needs only torch and numpy (Debian's python3-torch 1.13 links the
same libtorch_cpu.so.1.13 as crimp). It runs on the CPU only.

Subcommands:
  train      train a model for a few epochs and report the last epoch's images/s
  infer      run the 10,000 test images through a model and report images/s
  params     print the parameter count of each network
"""

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

MODEL_NAMES = ("resnet20", "resnet18", "vgg11", "mobilenetv2")

# Each record of a CIFAR-10 binary file is 1 label byte followed by 3072 pixel bytes,
# stored as three 32x32 planes (red, green, blue).
RECORD_BYTES = 1 + 3 * 32 * 32
TRAIN_FILES = [f"data_batch_{index}.bin" for index in range(1, 6)]
TEST_FILES = ["test_batch.bin"]

# Per-channel statistics of the CIFAR-10 training images, the same values crimp uses.
CIFAR10_MEAN = (0.4914, 0.4822, 0.4465)
CIFAR10_STD = (0.2470, 0.2435, 0.2616)

PADDING = 4
PEAK_LEARNING_RATE = 0.1
MOMENTUM = 0.9
WEIGHT_DECAY = 5e-4


# ---------------------------------------------------------------------------
# Networks. Each matches crimp's definition layer for layer. bench_engine.sh checks that
# the parameter counts agree with `crimp models`.


def conv3x3(in_channels, out_channels, stride=1, groups=1):
    return nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, groups=groups, bias=False)


def conv1x1(in_channels, out_channels, stride=1):
    return nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False)


class BasicBlock(nn.Module):
    """Two 3x3 convolutions with a shortcut.

    Where the shape changes, CIFAR ResNets use option A of He et al. (2016), which subsamples
    and zero-pads the channels and has no parameters. Other ResNets use a 1x1 projection
    with batch norm.
    """

    def __init__(self, in_planes, planes, stride, padding_shortcut):
        super().__init__()
        self.conv1 = conv3x3(in_planes, planes, stride)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = conv3x3(planes, planes)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = None
        self.subsample = 1
        self.padded_channels = 0
        if stride != 1 or in_planes != planes:
            if padding_shortcut:
                self.subsample = stride
                self.padded_channels = (planes - in_planes) // 2
            else:
                self.shortcut = nn.Sequential(conv1x1(in_planes, planes, stride), nn.BatchNorm2d(planes))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut_of(x))

    def shortcut_of(self, x):
        if self.shortcut is not None:
            return self.shortcut(x)
        if self.subsample == 1 and self.padded_channels == 0:
            return x
        subsampled = x[:, :, :: self.subsample, :: self.subsample]
        return F.pad(subsampled, (0, 0, 0, 0, self.padded_channels, self.padded_channels))


class ResNet(nn.Module):
    """3x3 stem without max-pool, stages of basic blocks, global average pool, linear classifier."""

    def __init__(self, stem_channels, stage_planes, blocks_per_stage, padding_shortcut, classes=10):
        super().__init__()
        self.conv1 = conv3x3(3, stem_channels)
        self.bn1 = nn.BatchNorm2d(stem_channels)
        stages = []
        in_planes = stem_channels
        for stage_index, planes in enumerate(stage_planes):
            blocks = []
            for block in range(blocks_per_stage):
                stride = 2 if block == 0 and stage_index > 0 else 1
                blocks.append(BasicBlock(in_planes, planes, stride, padding_shortcut))
                in_planes = planes
            stages.append(nn.Sequential(*blocks))
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(in_planes, classes)

    def forward(self, images):
        out = F.relu(self.bn1(self.conv1(images)))
        out = self.stages(out)
        out = F.adaptive_avg_pool2d(out, 1).flatten(1)
        return self.fc(out)


def resnet20():
    return ResNet(16, (16, 32, 64), 3, padding_shortcut=True)


def resnet18():
    return ResNet(64, (64, 128, 256, 512), 2, padding_shortcut=False)


class VGG11(nn.Module):
    """VGG-11 with batch norm: configuration A of Simonyan and Zisserman (2015), one linear layer."""

    CONFIGURATION = (64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M")

    def __init__(self, classes=10):
        super().__init__()
        layers = []
        in_channels = 3
        for item in self.CONFIGURATION:
            if item == "M":
                layers.append(nn.MaxPool2d(2, 2))
                continue
            layers += [conv3x3(in_channels, item), nn.BatchNorm2d(item), nn.ReLU(inplace=True)]
            in_channels = item
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Linear(in_channels, classes)

    def forward(self, images):
        return self.classifier(self.features(images).flatten(1))


class InvertedResidual(nn.Module):
    """1x1 expansion, 3x3 depthwise convolution carrying the stride, linear 1x1 projection.

    Stride-1 blocks add a shortcut, projected by a 1x1 convolution with batch norm where the
    channel count changes. Stride-2 blocks have no shortcut.
    """

    def __init__(self, in_planes, out_planes, expansion, stride):
        super().__init__()
        planes = expansion * in_planes
        self.stride = stride
        self.conv1 = conv1x1(in_planes, planes)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = conv3x3(planes, planes, stride, groups=planes)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = conv1x1(planes, out_planes)
        self.bn3 = nn.BatchNorm2d(out_planes)
        self.shortcut = None
        if stride == 1 and in_planes != out_planes:
            self.shortcut = nn.Sequential(conv1x1(in_planes, out_planes), nn.BatchNorm2d(out_planes))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = F.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        if self.stride != 1:
            return out
        return out + (x if self.shortcut is None else self.shortcut(x))


class MobileNetV2(nn.Module):
    """MobileNetV2 (Sandler et al., 2018, table 2) with stride 1 in the stem and the 24-channel stage."""

    # (expansion, output channels, blocks, stride of the first block)
    STAGES = ((1, 16, 1, 1), (6, 24, 2, 1), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1))

    def __init__(self, classes=10):
        super().__init__()
        self.conv1 = conv3x3(3, 32)
        self.bn1 = nn.BatchNorm2d(32)
        blocks = []
        in_planes = 32
        for expansion, out_planes, count, first_stride in self.STAGES:
            for block in range(count):
                blocks.append(InvertedResidual(in_planes, out_planes, expansion, first_stride if block == 0 else 1))
                in_planes = out_planes
        self.blocks = nn.Sequential(*blocks)
        self.conv2 = conv1x1(320, 1280)
        self.bn2 = nn.BatchNorm2d(1280)
        self.fc = nn.Linear(1280, classes)

    def forward(self, images):
        out = F.relu(self.bn1(self.conv1(images)))
        out = self.blocks(out)
        out = F.relu(self.bn2(self.conv2(out)))
        out = F.adaptive_avg_pool2d(out, 1).flatten(1)
        return self.fc(out)


MODEL_BUILDERS = {"resnet20": resnet20, "resnet18": resnet18, "vgg11": VGG11, "mobilenetv2": MobileNetV2}


def build_model(name):
    """Build a network and initialise its convolutions Kaiming-normal (fan-out, ReLU gain), as crimp does."""
    model = MODEL_BUILDERS[name]()
    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")
    return model


def count_parameters(model):
    return sum(parameter.numel() for parameter in model.parameters())


# ---------------------------------------------------------------------------
# Data.


def load_cifar10(data_dir, file_names):
    """Read CIFAR-10 binary files into uint8 images (N, 3, 32, 32) and int64 labels (N,)."""
    folder = Path(data_dir) / "cifar-10-batches-bin"
    chunks = []
    for name in file_names:
        path = folder / name
        if not path.is_file():
            sys.exit(f"error: CIFAR-10 file not found: {path}; run scripts/download_cifar.sh or pass --data-dir")
        raw = np.fromfile(path, dtype=np.uint8)
        if raw.size % RECORD_BYTES != 0:
            sys.exit(f"error: invalid CIFAR-10 file {path}: {raw.size} bytes is not a multiple of {RECORD_BYTES}")
        chunks.append(raw.reshape(-1, RECORD_BYTES))
    records = np.concatenate(chunks)
    labels = torch.from_numpy(records[:, 0].astype(np.int64))
    images = torch.from_numpy(np.ascontiguousarray(records[:, 1:]).reshape(-1, 3, 32, 32))
    return images, labels


def augment(images, generator):
    """Randomly crop each uint8 image from its 4-pixel zero-padded copy and flip it horizontally with p = 0.5."""
    padded = F.pad(images, (PADDING, PADDING, PADDING, PADDING))
    count, _, height, width = images.shape
    tops = torch.randint(0, 2 * PADDING + 1, (count,), generator=generator).tolist()
    lefts = torch.randint(0, 2 * PADDING + 1, (count,), generator=generator).tolist()
    flips = torch.randint(0, 2, (count,), generator=generator).tolist()
    output = torch.empty_like(images)
    for i in range(count):
        crop = padded[i, :, tops[i] : tops[i] + height, lefts[i] : lefts[i] + width]
        output[i] = crop.flip(2) if flips[i] else crop
    return output


def normalise(images):
    """Convert uint8 images to float and normalise each channel with the CIFAR-10 statistics."""
    mean = torch.tensor(CIFAR10_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(CIFAR10_STD).view(1, 3, 1, 1)
    return (images.float().div_(255.0) - mean).div_(std)


# ---------------------------------------------------------------------------
# Measurements.


def train(model, images, labels, epochs, batch_size, seed):
    """Train with crimp's recipe and return one record per epoch.

    The recipe is SGD with Nesterov momentum 0.9, weight decay 5e-4 and a per-step cosine
    learning rate from 0.1. The epoch time runs from the shuffle to the last optimizer step,
    like crimp's images_per_second, which excludes validation.
    """
    optimizer = torch.optim.SGD(
        model.parameters(), lr=PEAK_LEARNING_RATE, momentum=MOMENTUM, nesterov=True, weight_decay=WEIGHT_DECAY
    )
    count = images.shape[0]
    batches_per_epoch = math.ceil(count / batch_size)
    total_steps = batches_per_epoch * epochs
    generator = torch.Generator().manual_seed(seed)
    history = []

    for epoch in range(1, epochs + 1):
        model.train()
        start = time.perf_counter()
        order = torch.randperm(count, generator=generator)
        loss_sum = 0.0
        correct = 0
        seen = 0
        for batch in range(batches_per_epoch):
            indices = order[batch * batch_size : (batch + 1) * batch_size]
            if indices.numel() < 2:
                continue  # Batch norm cannot normalise a single image in training mode.
            step = (epoch - 1) * batches_per_epoch + batch
            learning_rate = 0.5 * PEAK_LEARNING_RATE * (1.0 + math.cos(math.pi * step / total_steps))
            for group in optimizer.param_groups:
                group["lr"] = learning_rate

            inputs = normalise(augment(images.index_select(0, indices), generator))
            targets = labels.index_select(0, indices)
            optimizer.zero_grad()
            logits = model(inputs)
            loss = F.cross_entropy(logits, targets)
            loss.backward()
            optimizer.step()

            batch_loss = loss.item()
            if not math.isfinite(batch_loss):
                sys.exit(f"error: training diverged at epoch {epoch}, batch {batch + 1}: the loss is {batch_loss}")
            loss_sum += batch_loss * indices.numel()
            correct += int(logits.argmax(1).eq(targets).sum())
            seen += indices.numel()

        seconds = time.perf_counter() - start
        history.append(
            {
                "epoch": epoch,
                "images": seen,
                "seconds": seconds,
                "images_per_second": seen / seconds,
                "train_loss": loss_sum / max(1, seen),
                "train_accuracy": correct / max(1, seen),
            }
        )
        print(f"epoch {epoch}/{epochs}: {seen / seconds:.1f} images/s, {seconds:.1f} s", file=sys.stderr)
    return history


@torch.no_grad()
def infer(model, images, labels, batch_size):
    """Classify the images in batches and return (images/s, accuracy, seconds).

    The time includes normalisation, and the loss and accuracy bookkeeping that crimp also does.
    """
    model.eval()
    start = time.perf_counter()
    loss_sum = 0.0
    correct = 0
    for first in range(0, images.shape[0], batch_size):
        inputs = normalise(images[first : first + batch_size])
        targets = labels[first : first + batch_size]
        logits = model(inputs)
        loss_sum += F.cross_entropy(logits, targets, reduction="sum").item()
        correct += int(logits.argmax(1).eq(targets).sum())
    seconds = time.perf_counter() - start
    return images.shape[0] / seconds, correct / images.shape[0], seconds


# ---------------------------------------------------------------------------
# Command line.


def write_json(result, path):
    text = json.dumps(result, indent=2)
    if path == "-":
        print(text)
    else:
        Path(path).write_text(text + "\n")


def run_train(arguments):
    images, labels = load_cifar10(arguments.data_dir, TRAIN_FILES)
    if not 2 <= arguments.train_images <= images.shape[0]:
        sys.exit(f"error: invalid --train-images {arguments.train_images}: expected 2 to {images.shape[0]}")
    # The first N images: which images are trained on does not change the throughput.
    images = images[: arguments.train_images].clone()
    labels = labels[: arguments.train_images].clone()

    torch.manual_seed(arguments.seed)
    model = build_model(arguments.model)
    history = train(model, images, labels, arguments.epochs, arguments.batch_size, arguments.seed)
    if arguments.out:
        torch.save(model.state_dict(), arguments.out)
    write_json(
        {
            "architecture": arguments.model,
            "parameters": count_parameters(model),
            "threads": torch.get_num_threads(),
            "torch_version": torch.__version__,
            "train_images": arguments.train_images,
            "images_per_second": history[-1]["images_per_second"],
            "history": history,
        },
        arguments.json,
    )


def run_infer(arguments):
    images, labels = load_cifar10(arguments.data_dir, TEST_FILES)
    torch.manual_seed(arguments.seed)
    model = build_model(arguments.model)
    if arguments.weights:
        model.load_state_dict(torch.load(arguments.weights))
    images_per_second, accuracy, seconds = infer(model, images, labels, arguments.batch_size)
    print(f"inference: {images_per_second:.1f} images/s, {seconds:.1f} s", file=sys.stderr)
    write_json(
        {
            "architecture": arguments.model,
            "parameters": count_parameters(model),
            "threads": torch.get_num_threads(),
            "torch_version": torch.__version__,
            "images": images.shape[0],
            "seconds": seconds,
            "images_per_second": images_per_second,
            "accuracy": accuracy,
        },
        arguments.json,
    )


def run_params(arguments):
    for name in MODEL_NAMES:
        print(f"{name:<12} {count_parameters(build_model(name)):>10}")


def positive_int(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"invalid value {value}: expected 1 or more")
    return value


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    subcommands = parser.add_subparsers(dest="command", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--model", choices=MODEL_NAMES, required=True, help="network to measure")
    common.add_argument(
        "--data-dir", default="data", help="folder with cifar-10-batches-bin/ (default: data)"
    )
    common.add_argument("--batch-size", type=positive_int, default=128, help="images per batch (default: 128)")
    common.add_argument("--threads", type=positive_int, default=1, help="torch.set_num_threads value (default: 1)")
    common.add_argument("--seed", type=int, default=0, help="seed of initialisation, data order and augmentation")
    common.add_argument("--json", default="-", help="file to write the result to as JSON (default: -, stdout)")

    train_parser = subcommands.add_parser("train", parents=[common], help="measure training images/s")
    train_parser.add_argument("--epochs", type=positive_int, default=2, help="epochs to train (default: 2)")
    train_parser.add_argument(
        "--train-images", type=int, default=10000, help="training images per epoch (default: 10000)"
    )
    train_parser.add_argument("--out", help="file to save the trained state_dict to, for `infer --weights`")

    infer_parser = subcommands.add_parser("infer", parents=[common], help="measure inference images/s")
    infer_parser.add_argument("--weights", help="state_dict written by `train --out` (default: fresh initialisation)")

    subcommands.add_parser("params", help="print the parameter count of each network")
    return parser.parse_args(argv)


def main(argv=None):
    arguments = parse_arguments(argv)
    if arguments.command == "params":
        run_params(arguments)
        return
    torch.set_num_threads(arguments.threads)
    if arguments.command == "train":
        run_train(arguments)
    else:
        run_infer(arguments)


if __name__ == "__main__":
    main()
