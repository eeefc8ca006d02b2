FROM alpine
RUN <<EOF
FROM evil:latest
COPY --from=evil:2 / /
EOF
RUN <<-EOT bash
	FROM tabbed
	EOT
COPY <<"EOF" <<'END' /dst/
FROM inside-first
EOF
FROM inside-second
END
RUN echo "<<EOF"
RUN ["sh", "-c", "<<EOF"]
RUN 3<<X cat <&3
X
FROM real:1
