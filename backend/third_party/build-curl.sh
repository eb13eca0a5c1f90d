#!/usr/bin/env bash
# build-curl.sh TLS DEST: builds a lean, static libcurl from Debian's own curl source package into
# DEST/curl-TLS/{include,lib/libcurl.a} (TLS = openssl | mbedtls). Only what the Lambda function uses:
# HTTP and HTTPS with AWS SigV4 (CURLOPT_AWS_SIGV4 needs crypto-auth and http-auth). No other protocol,
# no proxy, cookies, IDN, PSL, compression, HTTP/2, LDAP, SSH or GSSAPI, and no built-in CA path (the
# function sets CURLOPT_CAINFO itself, see backend/ddb/src/tls_ca.c). Built once; a finished build is reused.
set -euo pipefail
tls=$1; mkdir -p "$2"; dest=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
out="$dest/curl-$tls"
[ -f "$out/lib/libcurl.a" ] && exit 0
case "$tls" in
  openssl) tls_opt=(--with-openssl) ;;
  mbedtls) tls_opt=(--with-mbedtls) ;;
  *) echo "build-curl: TLS must be openssl or mbedtls" >&2; exit 2 ;;
esac
"$here/fetch-source.sh" curl "$dest"
src="$dest/curl-src"
# Debian builds its OpenSSL flavour with the GnuTLS and NSS flavour patches (the last two of the
# series) popped; do the same. The generated configure/Makefile.in are used as shipped
# (AM_MAINTAINER_MODE: nothing is regenerated).
if [ ! -f "$src/.flavour-patches-reverted" ]; then
  for p in 99_nss 90_gnutls; do
    patch -s -R -p1 -d "$src" <"$src/debian/patches/$p.patch"
  done
  touch "$src/.flavour-patches-reverted"
fi
work="$dest/curl-build-$tls"
rm -rf "$work" "$out" && mkdir -p "$work"
cd "$work"
"$src/configure" -q --disable-shared --enable-static --disable-dependency-tracking \
  "${tls_opt[@]}" --without-ca-bundle --without-ca-path --without-ca-fallback \
  --disable-openssl-auto-load-config \
  --disable-ftp --disable-file --disable-ldap --disable-ldaps --disable-rtsp --disable-dict \
  --disable-telnet --disable-tftp --disable-pop3 --disable-imap --disable-smb --disable-smtp \
  --disable-gopher --disable-mqtt --disable-websockets --disable-proxy --disable-manual \
  --disable-libcurl-option --disable-ntlm --disable-ntlm-wb --disable-tls-srp --disable-unix-sockets \
  --disable-cookies --disable-doh --disable-mime --disable-netrc --disable-alt-svc --disable-hsts \
  --disable-headers-api --disable-get-easy-options --disable-verbose --disable-versioned-symbols \
  --without-zlib --without-brotli --without-zstd --without-libpsl --without-libidn2 \
  --without-nghttp2 --without-ngtcp2 --without-nghttp3 --without-librtmp --without-libssh2 \
  --without-libssh --without-libgsasl --without-hyper \
  --without-zsh-functions-dir --without-fish-functions-dir \
  CFLAGS="-O2 -g0 -ffunction-sections -fdata-sections" >configure.log
make -s -C lib -j"${JOBS:-2}" >make.log 2>&1 || { tail -n 30 make.log >&2; exit 1; }
mkdir -p "$out/lib" "$out/include/curl"
cp lib/.libs/libcurl.a "$out/lib/"
cp "$src"/include/curl/*.h "$out/include/curl/"
cd "$dest" && rm -rf "$work"
echo "build-curl: $out/lib/libcurl.a ($(du -k "$out/lib/libcurl.a" | cut -f1) KiB)"
