package sandbox

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// rootfs is a container's new root: a directory on a private tmpfs holding a
// bind of every top-level host entry. Anything created for the container is
// created on filesystems it owns (that tmpfs, or overlays with their upper
// layer on it), never on the host.
type rootfs struct {
	dir      string          // host path of the root (<fsDir>/root)
	scratch  string          // overlay upper and work layers (<fsDir>/scratch)
	owned    map[uint64]bool // st_dev of the filesystems the container owns
	overlays int
}

// newRootfs mounts a tmpfs at fsDir and fills <fsDir>/root with the host's
// top level: directories rbind-mounted, symlinks recreated, files bound.
func newRootfs(fsDir string) (*rootfs, error) {
	if err := unix.Mount("tmpfs", fsDir, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, "mode=0755"); err != nil {
		return nil, fmt.Errorf("mounting tmpfs at %s: %w", fsDir, err)
	}
	r := &rootfs{dir: filepath.Join(fsDir, "root"), scratch: filepath.Join(fsDir, "scratch"), owned: map[uint64]bool{}}
	for _, d := range []string{r.dir, r.scratch} {
		if err := os.Mkdir(d, 0o755); err != nil {
			return nil, err
		}
	}
	if err := r.own(r.dir); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir("/")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if err := r.bindTopLevel(e.Name()); err != nil {
			return nil, fmt.Errorf("binding /%s: %w", e.Name(), err)
		}
	}
	// The rbind of the state dir's top-level ancestor copied this tmpfs into
	// the new root; the container has no use for that copy.
	_ = unix.Unmount(filepath.Join(r.dir, fsDir), unix.MNT_DETACH)
	return r, nil
}

func (r *rootfs) bindTopLevel(name string) error {
	src, dst := "/"+name, filepath.Join(r.dir, name)
	fi, err := os.Lstat(src)
	if err != nil {
		return err
	}
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		target, err := os.Readlink(src)
		if err != nil {
			return err
		}
		return os.Symlink(target, dst)
	case fi.IsDir():
		if err := os.Mkdir(dst, fi.Mode().Perm()); err != nil {
			return err
		}
		return unix.Mount(src, dst, "", unix.MS_BIND|unix.MS_REC, "")
	case fi.Mode().IsRegular():
		if err := createEmptyFile(dst); err != nil {
			return err
		}
		return unix.Mount(src, dst, "", unix.MS_BIND, "")
	}
	return nil // sockets, devices and fifos at the top level are not carried over
}

// own records the filesystem at p as the container's own.
func (r *rootfs) own(p string) error {
	var st unix.Stat_t
	if err := unix.Stat(p, &st); err != nil {
		return err
	}
	r.owned[st.Dev] = true
	return nil
}

func (r *rootfs) owns(p string) (bool, error) {
	var st unix.Stat_t
	if err := unix.Stat(p, &st); err != nil {
		return false, err
	}
	return r.owned[st.Dev], nil
}

// mount binds src at m.Target, creating the target on a filesystem the
// container owns when it does not exist.
func (r *rootfs) mount(m Mount, src source) error {
	existing, missing, err := resolveIn(r.dir, m.Target)
	if err != nil {
		return err
	}
	target := filepath.Join(r.dir, existing)
	if len(missing) > 0 {
		owned, err := r.owns(target)
		if err != nil {
			return err
		}
		ancestor := target
		target = filepath.Join(append([]string{ancestor}, missing...)...)
		if owned {
			if err := createTarget(target, src.isDir); err != nil {
				return err
			}
		} else if err := r.overlayAndCreate(ancestor, target, src.isDir); err != nil {
			return fmt.Errorf("overlaying %s: %w", existing, err)
		}
	}
	if err := unix.Mount(src.path(), target, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
		return fmt.Errorf("bind: %w", err)
	}
	if m.ReadOnly {
		if err := unix.Mount("", target, "", unix.MS_BIND|unix.MS_REMOUNT|unix.MS_RDONLY, ""); err != nil {
			return fmt.Errorf("remount read-only: %w", err)
		}
	}
	return nil
}

func createTarget(p string, dir bool) error {
	if dir {
		return os.MkdirAll(p, 0o755)
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return createEmptyFile(p)
}

func createEmptyFile(p string) error {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	return f.Close()
}

// overlayAndCreate makes dir writable with an overlay, creates target below
// it, restores the mounts the overlay covered (/dev/pts and /dev/shm when dir
// is /dev, say) and makes the overlay read-only again if dir was.
func (r *rootfs) overlayAndCreate(dir, target string, isDir bool) error {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return err
	}
	subs, err := openSubmounts(dir)
	if err != nil {
		return err
	}
	defer func() {
		for _, s := range subs {
			unix.Close(s.fd)
		}
	}()
	if err := r.overlay(dir); err != nil {
		return err
	}
	if err := createTarget(target, isDir); err != nil {
		return err
	}
	for _, s := range subs {
		if err := unix.Mount(s.path(), s.point, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
			return fmt.Errorf("restoring mount %s: %w", s.point, err)
		}
	}
	if st.Flags&unix.ST_RDONLY != 0 {
		return unix.Mount("", dir, "", unix.MS_BIND|unix.MS_REMOUNT|unix.MS_RDONLY, "")
	}
	return nil
}

// submount is a mount below a directory about to be overlaid, held open so
// it can be bound back on top of the overlay.
type submount struct {
	source
	point string
}

// openSubmounts opens the outermost mounts strictly below dir.
func openSubmounts(dir string) ([]submount, error) {
	infos, err := readMountInfo()
	if err != nil {
		return nil, err
	}
	var out []submount
	for _, mi := range infos {
		if !strings.HasPrefix(mi.point, dir+"/") || slices.ContainsFunc(out, func(s submount) bool {
			return mi.point == s.point || strings.HasPrefix(mi.point, s.point+"/")
		}) {
			continue
		}
		s, err := openSource(mi.point)
		if err != nil {
			for _, o := range out {
				unix.Close(o.fd)
			}
			return nil, err
		}
		out = append(out, submount{source: s, point: mi.point})
	}
	return out, nil
}

// overlay covers dir with an overlayfs whose lower layer is dir itself and
// whose upper layer is on the scratch tmpfs, so that dir becomes writable
// without writing to what it was.
func (r *rootfs) overlay(dir string) error {
	r.overlays++
	layer := filepath.Join(r.scratch, strconv.Itoa(r.overlays))
	upper, work := filepath.Join(layer, "upper"), filepath.Join(layer, "work")
	for _, d := range []string{upper, work} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	opts := fmt.Sprintf("lowerdir=%s,upperdir=%s,workdir=%s", overlayEscape(dir), overlayEscape(upper), overlayEscape(work))
	if err := unix.Mount("overlay", dir, "overlay", 0, opts); err != nil {
		return err
	}
	return r.own(dir)
}

// overlayEscape escapes the characters overlayfs treats as separators.
func overlayEscape(p string) string {
	return strings.NewReplacer(`\`, `\\`, `,`, `\,`, `:`, `\:`).Replace(p)
}

// maxSymlinks is the kernel's limit on symlinks followed in one lookup.
const maxSymlinks = 40

// resolveIn resolves the absolute path p as if root were "/", following
// symlinks (absolute ones relative to root). It returns the deepest existing
// resolved directory or file and the components below it that do not exist.
func resolveIn(root, p string) (existing string, missing []string, err error) {
	parts := splitPath(p)
	cur, links := "/", 0
	for i := 0; i < len(parts); i++ {
		next := path.Join(cur, parts[i])
		fi, err := os.Lstat(filepath.Join(root, next))
		if errors.Is(err, fs.ErrNotExist) {
			return cur, parts[i:], nil
		}
		if err != nil {
			return "", nil, err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			if links++; links > maxSymlinks {
				return "", nil, fmt.Errorf("resolving %s: %w", p, unix.ELOOP)
			}
			link, err := os.Readlink(filepath.Join(root, next))
			if err != nil {
				return "", nil, err
			}
			if !path.IsAbs(link) {
				link = path.Join(cur, link)
			}
			parts = append(splitPath(link), parts[i+1:]...)
			cur, i = "/", -1
			continue
		}
		if !fi.IsDir() && i < len(parts)-1 {
			return "", nil, fmt.Errorf("resolving %s: %s: %w", p, next, unix.ENOTDIR)
		}
		cur = next
	}
	return cur, nil, nil
}

func splitPath(p string) []string {
	var out []string
	for _, s := range strings.Split(path.Clean("/"+p), "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// mountInfo is one line of /proc/self/mountinfo.
type mountInfo struct {
	point  string
	fsType string
}

func readMountInfo() ([]mountInfo, error) {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []mountInfo
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		// "id parent maj:min root point opts [optional...] - fstype source superopts"
		fields := strings.Fields(sc.Text())
		sep := slices.Index(fields, "-")
		if len(fields) < 5 || sep < 0 || sep+1 >= len(fields) {
			continue
		}
		out = append(out, mountInfo{point: unescapeOctal(fields[4]), fsType: fields[sep+1]})
	}
	return out, sc.Err()
}

// unescapeOctal undoes mountinfo's \ooo escapes (space, tab, newline, backslash).
func unescapeOctal(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// detachNsfsMounts lazily unmounts every nsfs mount (named network
// namespaces) of the current mount namespace, last mounted first.
func detachNsfsMounts() {
	infos, err := readMountInfo()
	if err != nil {
		return
	}
	for _, mi := range slices.Backward(infos) {
		if mi.fsType == "nsfs" {
			_ = unix.Unmount(mi.point, unix.MNT_DETACH)
		}
	}
}

// removeStateDir removes dir without ever descending into a mount: mounts
// below it (which only a bug could have left in this namespace) are detached
// first, so RemoveAll cannot reach host files through a bind.
func removeStateDir(dir string) error {
	infos, err := readMountInfo()
	if err != nil {
		return err
	}
	for _, mi := range slices.Backward(infos) {
		if mi.point == dir || strings.HasPrefix(mi.point, dir+"/") {
			if err := unix.Unmount(mi.point, unix.MNT_DETACH); err != nil && !errors.Is(err, unix.EINVAL) && !errors.Is(err, unix.ENOENT) {
				return fmt.Errorf("unmounting %s: %w", mi.point, err)
			}
		}
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("removing %s: %w", dir, err)
	}
	return nil
}
