{{/* Labels every object carries. */}}
{{- define "spiderpool.labels" -}}
app.kubernetes.io/name: spiderpool
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- with .Values.global.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "spiderpool.annotations" -}}
{{- with .Values.global.commonAnnotations }}
annotations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* An image reference: registry (or global.imageRegistryOverride) / repository : tag (appVersion by default). */}}
{{- define "spiderpool.image" -}}
{{- $registry := .root.Values.global.imageRegistryOverride | default .image.registry -}}
{{- printf "%s/%s:%s" $registry .image.repository (.image.tag | default .root.Chart.AppVersion) -}}
{{- end -}}

{{/* feature.enableIPv4/6 (the documents' spelling) win over ipam.enableIPv4/6 when set. */}}
{{- define "spiderpool.enableIPv4" -}}
{{- if hasKey .Values.feature "enableIPv4" }}{{ .Values.feature.enableIPv4 }}{{ else }}{{ .Values.ipam.enableIPv4 }}{{ end -}}
{{- end -}}
{{- define "spiderpool.enableIPv6" -}}
{{- if hasKey .Values.feature "enableIPv6" }}{{ .Values.feature.enableIPv6 }}{{ else }}{{ .Values.ipam.enableIPv6 }}{{ end -}}
{{- end -}}

{{- define "spiderpool.socketDir" -}}
{{- dir .Values.global.ipamUNIXSocketHostPath -}}
{{- end -}}

{{/* The environment every process of ours reads: its own identity and the glibc arena cap (see controller/jvm-options). */}}
{{- define "spiderpool.processEnv" -}}
- name: SPIDERPOOL_POD_NAME
  valueFrom:
    fieldRef: {fieldPath: metadata.name}
- name: SPIDERPOOL_POD_NAMESPACE
  valueFrom:
    fieldRef: {fieldPath: metadata.namespace}
- name: MALLOC_ARENA_MAX
  value: "2"
{{- with .Values.global.kubernetesServiceHost }}
- name: KUBERNETES_SERVICE_HOST
  value: {{ . | quote }}
{{- end }}
{{- with .Values.global.kubernetesServicePort }}
- name: KUBERNETES_SERVICE_PORT
  value: {{ . | quote }}
{{- end }}
{{- end -}}
