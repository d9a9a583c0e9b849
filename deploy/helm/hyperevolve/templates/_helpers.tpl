{{/* Names: <release>-hyperevolve unless the release name already says hyperevolve. */}}
{{- define "hyperevolve.fullname" -}}
{{- if contains "hyperevolve" .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-hyperevolve" .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "hyperevolve.labels" -}}
app.kubernetes.io/name: hyperevolve
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels of one component: redis, scheduler, worker. */}}
{{- define "hyperevolve.selector" -}}
app.kubernetes.io/name: hyperevolve
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "hyperevolve.redisHost" -}}
{{- printf "%s-redis" (include "hyperevolve.fullname" .) -}}
{{- end -}}

{{/* The Secret and key that hold the whole REDIS_URL (password included). */}}
{{- define "hyperevolve.redisUrlSecret" -}}
{{- if .Values.redis.enabled -}}
{{- .Values.redis.existingSecret | default (printf "%s-redis" (include "hyperevolve.fullname" .)) -}}
{{- else if .Values.externalRedis.existingSecret -}}
{{- .Values.externalRedis.existingSecret -}}
{{- else if .Values.externalRedis.url -}}
{{- printf "%s-redis-url" (include "hyperevolve.fullname" .) -}}
{{- else -}}
{{- fail "redis.enabled is false: set externalRedis.existingSecret (a Secret with the key redis-url) or externalRedis.url" -}}
{{- end -}}
{{- end -}}

{{- define "hyperevolve.tokenSecret" -}}
{{- .Values.scheduler.existingSecret | default (printf "%s-dashboard" (include "hyperevolve.fullname" .)) -}}
{{- end -}}

{{/* What the scheduler, workers and tests need to reach Redis: the URL from its Secret, never a literal. */}}
{{- define "hyperevolve.redisEnv" -}}
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "hyperevolve.redisUrlSecret" . }}
      key: redis-url
- name: HYPEREVOLVE_PREFIX
  value: {{ .Values.prefix | quote }}
{{- end -}}

{{/* A secret value kept across upgrades: the one already in the cluster, else the given one, else a random one. */}}
{{- define "hyperevolve.keptSecret" -}}
{{- $existing := lookup "v1" "Secret" .root.Release.Namespace .name -}}
{{- if and $existing (index $existing.data .key) -}}
{{- index $existing.data .key | b64dec -}}
{{- else -}}
{{- .given | default (randAlphaNum 32) -}}
{{- end -}}
{{- end -}}

{{- define "hyperevolve.image" -}}
{{- printf "%s:%s" .repository (toString .tag) -}}
{{- end -}}
