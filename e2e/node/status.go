package node

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// computeStatus derives the pod's status from its containers; the caller
// holds the pod's lock.
func (r *podRuntime) computeStatus() corev1.PodStatus {
	st := *r.status.DeepCopy()
	st.InitContainerStatuses, st.ContainerStatuses = nil, nil
	initDone, ready, anyStarted := true, true, false
	for _, c := range r.ctrs {
		cs := *c.status.DeepCopy()
		if c.note != "" && cs.State.Running != nil {
			// Where the tag asked for is not what runs, the status says so.
			st.Message = c.note
		}
		if c.init {
			st.InitContainerStatuses = append(st.InitContainerStatuses, cs)
			if !c.sidecar() && (cs.State.Terminated == nil || cs.State.Terminated.ExitCode != 0) {
				initDone = false
			}
			continue
		}
		st.ContainerStatuses = append(st.ContainerStatuses, cs)
		ready = ready && cs.Ready
		anyStarted = anyStarted || cs.State.Running != nil || cs.State.Terminated != nil || cs.RestartCount > 0
	}
	if st.Phase != corev1.PodFailed && st.Phase != corev1.PodSucceeded {
		switch {
		case anyStarted && allTerminated(r.ctrs) && r.pod.Spec.RestartPolicy != corev1.RestartPolicyAlways:
			st.Phase = terminalPhase(r.pod, r.ctrs)
		case anyStarted:
			st.Phase = corev1.PodRunning
		default:
			st.Phase = corev1.PodPending
		}
	}
	sandboxReady := st.PodIP != ""
	st.Conditions = []corev1.PodCondition{
		condition(corev1.PodReadyToStartContainers, sandboxReady),
		condition(corev1.PodInitialized, initDone),
		condition(corev1.PodReady, ready && initDone),
		condition(corev1.ContainersReady, ready && initDone),
		condition(corev1.PodScheduled, true),
	}
	// Keep each condition's transition time from the last report.
	for i := range st.Conditions {
		for _, old := range r.status.Conditions {
			if old.Type == st.Conditions[i].Type && old.Status == st.Conditions[i].Status {
				st.Conditions[i].LastTransitionTime = old.LastTransitionTime
			}
		}
	}
	r.status.Conditions = st.Conditions
	return st
}

func condition(t corev1.PodConditionType, ok bool) corev1.PodCondition {
	s := corev1.ConditionFalse
	if ok {
		s = corev1.ConditionTrue
	}
	return corev1.PodCondition{Type: t, Status: s, LastTransitionTime: metav1.Now()}
}

func allTerminated(ctrs []*container) bool {
	for _, c := range ctrs {
		if !c.init && c.status.State.Terminated == nil {
			return false
		}
	}
	return true
}

// terminalPhase is Succeeded when every container exited 0, else Failed.
func terminalPhase(pod *corev1.Pod, ctrs []*container) corev1.PodPhase {
	for _, c := range ctrs {
		if c.init {
			continue
		}
		t := c.status.State.Terminated
		if t == nil || t.ExitCode != 0 {
			return corev1.PodFailed
		}
	}
	return corev1.PodSucceeded
}

// qosClass is the pod's quality of service class, as the API defines it.
func qosClass(pod *corev1.Pod) corev1.PodQOSClass {
	requests, limits, guaranteed := false, false, true
	for _, c := range append(append([]corev1.Container{}, pod.Spec.InitContainers...), pod.Spec.Containers...) {
		if len(c.Resources.Requests) > 0 {
			requests = true
		}
		if len(c.Resources.Limits) > 0 {
			limits = true
		}
		for _, res := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
			l, ok := c.Resources.Limits[res]
			if !ok {
				guaranteed = false
				continue
			}
			if q, ok := c.Resources.Requests[res]; ok && q.Cmp(l) != 0 {
				guaranteed = false
			}
		}
	}
	switch {
	case !requests && !limits:
		return corev1.PodQOSBestEffort
	case guaranteed:
		return corev1.PodQOSGuaranteed
	}
	return corev1.PodQOSBurstable
}

// podHostname is the pod's hostname: spec.hostname or the pod's name.
func podHostname(pod *corev1.Pod) string {
	if pod.Spec.Hostname != "" {
		return pod.Spec.Hostname
	}
	return pod.Name
}
