#!/usr/bin/env bash
# Debian packages for PDF output, its tests and the benchmark: Chromium prints HTML to PDF, poppler
# reads it back, GNU time measures peak memory,
# WenQuanYi Micro Hei (TrueType, so PDFs embed it rather than print Type 3 glyphs) renders
# Chinese documents, Noto Color Emoji draws emoji (in a customer's name, say); cloud-init and netplan check the bare-metal user data and host networking.
# The deployer tests check deploy/ against the real consumers: ansible-inventory (ansible-core),
# the OpenStack services' option definitions (python3-nova, -neutron, -cinder, -glance, -keystone, -octavia
# with oslo.config's generator), cephadm's service specification parser (python3-ceph-common),
# Swift's ring builder (python3-swift), which builds the rings of config/swift/rings.sh, and
# HAProxy, which checks the load-balancer configuration of the Swift proxies (with a test
# certificate from openssl), and chronyd, which parses the time configuration (`chronyd -p`).
# Installed only when missing.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
[ -x /usr/bin/time ] || need+=(time)
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ] || need+=(fonts-dejavu-core)
[ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || need+=(fonts-noto-color-emoji)
command -v cloud-init >/dev/null 2>&1 || need+=(cloud-init)
command -v netplan >/dev/null 2>&1 || need+=(netplan.io)
command -v ansible-inventory >/dev/null 2>&1 || need+=(ansible-core)
[ -x /usr/sbin/haproxy ] || need+=(haproxy)
[ -x /usr/sbin/chronyd ] || need+=(chrony)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
for pkg in python3-nova python3-neutron python3-cinder python3-glance python3-keystone python3-octavia python3-ceph-common python3-swift; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing ${need[*]}: install them with apt-get as root (PDF output and the document and deployer tests need them)" >&2
  exit 0
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
