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
COPY src/Host/*.csproj src/Host/
COPY plugins/Backbones/*.csproj plugins/Backbones/
COPY plugins/Heads/*.csproj plugins/Heads/
COPY plugins/Datasets/*.csproj plugins/Datasets/
COPY plugins/Evaluators/*.csproj plugins/Evaluators/
RUN dotnet restore src/Host/NanoDet.Host.csproj -p:NanoDetTorchBackend=${TORCH_BACKEND}
COPY . .
# Publishing runs build/Libtorch.targets, which marks GLIBCXX_3.4.32 weak in the published libLibTorchSharp.so.
RUN dotnet publish src/Host/NanoDet.Host.csproj -c Release --no-restore -o /app -p:NanoDetTorchBackend=${TORCH_BACKEND}

FROM mcr.microsoft.com/dotnet/runtime:10.0-noble AS runtime
# libgtk-3: linked by OpenCV's highgui inside libOpenCvSharpExtern.so (Ubuntu 24.04 names it libgtk-3-0t64).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgtk-3-0t64 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /app /app
WORKDIR /work
# save_dir defaults to workspace/<run> under /work; datasets are expected under /work/data.
ENV NANODET__cache_dir=/work/workspace/.cache
VOLUME ["/work/workspace", "/work/data"]
ENTRYPOINT ["dotnet", "/app/nanodet.dll"]
CMD ["--help"]
