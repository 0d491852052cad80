package node

import (
	"context"
	"os"
	"path/filepath"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/klog/v2"
)

// localVolumeLabel marks the PersistentVolumes the node provisions.
const localVolumeLabel = "vigil.dev/local-volume"

// ProvisionVolumes gives every pending PersistentVolumeClaim a hostPath
// PersistentVolume in the node's state directory, pre-bound to it (the
// controller manager's binder completes the binding), and deletes those
// volumes and their directories once released: the local cluster's
// storage provisioner. It returns when ctx ends.
func (p *Provider) ProvisionVolumes(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		if err := p.provisionOnce(ctx); err != nil && ctx.Err() == nil {
			klog.ErrorS(err, "Provisioning volumes")
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (p *Provider) provisionOnce(ctx context.Context) error {
	c := p.cfg.Client.CoreV1()
	claims, err := c.PersistentVolumeClaims("").List(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	for i := range claims.Items {
		pvc := &claims.Items[i]
		if pvc.Spec.VolumeName != "" || pvc.Status.Phase != corev1.ClaimPending || pvc.DeletionTimestamp != nil {
			continue
		}
		if _, err := c.PersistentVolumes().Create(ctx, p.localVolume(pvc), metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
			return err
		}
	}
	pvs, err := c.PersistentVolumes().List(ctx, metav1.ListOptions{LabelSelector: localVolumeLabel + "=true"})
	if err != nil {
		return err
	}
	for i := range pvs.Items {
		pv := &pvs.Items[i]
		if pv.Status.Phase != corev1.VolumeReleased && pv.Status.Phase != corev1.VolumeFailed {
			continue
		}
		if err := c.PersistentVolumes().Delete(ctx, pv.Name, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
			return err
		}
		if pv.Spec.HostPath != nil {
			_ = os.RemoveAll(pv.Spec.HostPath.Path)
		}
	}
	return nil
}

func (p *Provider) localVolume(pvc *corev1.PersistentVolumeClaim) *corev1.PersistentVolume {
	name := "pvc-" + string(pvc.UID)
	size := pvc.Spec.Resources.Requests[corev1.ResourceStorage]
	if size.IsZero() {
		size = resource.MustParse("1Gi")
	}
	modes := pvc.Spec.AccessModes
	if len(modes) == 0 {
		modes = []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce}
	}
	class := ""
	if pvc.Spec.StorageClassName != nil {
		class = *pvc.Spec.StorageClassName
	}
	dirType := corev1.HostPathDirectoryOrCreate
	return &corev1.PersistentVolume{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{localVolumeLabel: "true"}},
		Spec: corev1.PersistentVolumeSpec{
			Capacity:                      corev1.ResourceList{corev1.ResourceStorage: size},
			AccessModes:                   modes,
			StorageClassName:              class,
			VolumeMode:                    pvc.Spec.VolumeMode,
			PersistentVolumeReclaimPolicy: corev1.PersistentVolumeReclaimRetain,
			ClaimRef: &corev1.ObjectReference{
				Kind: "PersistentVolumeClaim", APIVersion: "v1",
				Namespace: pvc.Namespace, Name: pvc.Name, UID: pvc.UID,
			},
			PersistentVolumeSource: corev1.PersistentVolumeSource{HostPath: &corev1.HostPathVolumeSource{
				Path: filepath.Join(p.cfg.StateDir, "volumes", name), Type: &dirType,
			}},
		},
	}
}
