# Sourced by bench/ingest.sh and bench/scale.sh (not run): the config their
# stages run with, written into the caller's temporary folder $out.
config() {  # config SET-DIR NAME [GROUPS [BACKBONE]]: a bench config on the defaults, 2 threads
  cat > "$out/$2.yaml" <<YAML
photos: $1
ingest:
  width: 480
  threads: 2
  groups: {enabled: ${3:-true}}
model:
  flip_average: false
  backbone: ${4:-none}
train:
  steps: 20
  eval_every: 10
  checkpoint_every: 10
  threads: 2
YAML
  echo "$out/$2.yaml"
}
