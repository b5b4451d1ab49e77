# syntax=docker/dockerfile:1
# NanoDet-4P container: SDK build stage -> slim runtime with the native libraries OpenCV and libtorch need.
#   docker build -t nanodet .
#   docker run --rm -v "$PWD/workspace:/work/workspace" -v "$PWD/data:/work/data" nanodet train
# CUDA variant: see README "Container" (needs the libtorch-cuda NuGet package and an NVIDIA base image).

ARG TORCH_BACKEND=cpu

FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
ARG TORCH_BACKEND
WORKDIR /src
# Restore first so the package layer is cached across source edits.
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY build/ build/
COPY src/Abstractions/*.csproj src/Abstractions/
COPY src/Inference/*.csproj src/Inference/
COPY src/Compute/*.csproj src/Compute/
COPY src/Checkpoints/*.csproj src/Checkpoints/
COPY src/Training/*.csproj src/Training/
COPY src/Export/*.csproj src/Export/
COPY src/Host/*.csproj src/Host/
COPY plugins/Detectors/*.csproj plugins/Detectors/
COPY plugins/Backbones/*.csproj plugins/Backbones/
COPY plugins/Heads/*.csproj plugins/Heads/
COPY plugins/Datasets/*.csproj plugins/Datasets/
COPY plugins/Evaluators/*.csproj plugins/Evaluators/
RUN dotnet restore src/Host/NanoDet.Host.csproj -r linux-x64 -p:NanoDetTorchBackend=${TORCH_BACKEND}
COPY . .
# Publishing runs build/Libtorch.targets, which marks GLIBCXX_3.4.32 weak in the published libLibTorchSharp.so.
# For linux-x64 only: without a runtime identifier the publish also carries the native libraries of every other
# platform its packages support (994 MiB instead of 652 MiB; README "Container").
RUN dotnet publish src/Host/NanoDet.Host.csproj -c Release --no-restore -r linux-x64 --self-contained false -o /app -p:NanoDetTorchBackend=${TORCH_BACKEND}

# The runtime stage is also the configuration scripts/container-build.sh gives its registry-free image (it reads the
# ENV, VOLUME, WORKDIR, ENTRYPOINT and CMD lines below): keep each of them on one line.
FROM mcr.microsoft.com/dotnet/runtime:10.0-noble AS runtime
# The native packages OpenCV's library links (libgtk-3, libdrm, libatomic) are owned by this script; both build paths run it.
COPY scripts/install-native-deps.sh /tmp/install-native-deps.sh
RUN /tmp/install-native-deps.sh && rm -rf /var/lib/apt/lists/* /tmp/install-native-deps.sh
COPY --from=build /app /app
WORKDIR /work
# save_dir defaults to workspace/<run> under /work; datasets are expected under /work/data. The synthetic data
# cache ($NANODET_CACHE/synthetic) lives in the workspace volume, so it survives the container.
ENV NANODET_CACHE=/work/workspace/.cache
VOLUME ["/work/workspace", "/work/data"]
# The apphost: runs on the image's shared .NET runtime here and self-contained in the registry-free image.
ENTRYPOINT ["/app/nanodet"]
CMD ["--help"]
