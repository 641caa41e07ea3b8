import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The embedded database's files are for the server's user alone (SP 800-171 3.1.1, 3.13.16): `tekigo.sqlite` holds
/// sealed secrets, password hashes and the organizations' assessments.
///
/// SQLite creates a new database file with mode 0644 less the umask, so in a data directory that others can enter it
/// would be readable by everyone on the machine. `SQLiteFiles.makePrivate` runs before SQLite opens the file: it
/// creates a missing file with mode 0600 (an empty file is a valid new database) and takes group and other bits off an
/// existing one and off its `-wal`, `-shm` and `-journal` files. SQLite gives the `-wal`, `-shm` and `-journal` files
/// it creates later the database file's own mode, so they are 0600 too.
public enum SQLiteFiles {
    /// Creates `path` (0600) if it does not exist and makes it and its side files private. The umask is not relied
    /// on: modes are set explicitly.
    public static func makePrivate(_ path: String) throws(StoreError) {
        // In-memory and URI names are not files of ours.
        if path.isEmpty || path == ":memory:" || path.hasPrefix("file:") { return }
        var fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0, errno == ENOENT {
            // O_EXCL: a file another process creates at the same moment is not truncated, only opened below.
            fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd < 0, errno == EEXIST { fd = open(path, O_RDONLY | O_CLOEXEC) }
        }
        guard fd >= 0 else {
            let e = errno
            // A folder we may not write in: SQLite says what it can and cannot do there.
            if e == EACCES || e == EROFS { return }
            throw .cannotOpen(path, "cannot create the database file: \(String(cString: strerror(e)))")
        }
        defer { close(fd) }
        try restrict(fd: fd, path: path)
        for suffix in ["-wal", "-shm", "-journal"] {
            let side = open(path + suffix, O_RDONLY | O_CLOEXEC)
            if side < 0 { continue }
            defer { close(side) }
            try restrict(fd: side, path: path + suffix)
        }
    }

    /// Takes group and other permission bits off an open file.
    static func restrict(fd: Int32, path: String) throws(StoreError) {
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            throw .cannotOpen(path, "cannot inspect the file: \(String(cString: strerror(errno)))")
        }
        let mode = mode_t(st.st_mode) & 0o7777
        guard mode & 0o077 != 0 else { return }
        guard fchmod(fd, mode & 0o700) == 0 else {
            let e = errno
            throw .cannotOpen(path, "the file can be read by other users of this machine (mode \(String(mode, radix: 8))) and its "
                              + "permissions cannot be changed (\(String(cString: strerror(e)))); run `chmod 600 \(path)` as its owner")
        }
    }
}

/// Creates `dir` (and missing parents) with mode 0700, set explicitly whatever the umask; an existing directory is
/// left as it is.
public func createPrivateDirectory(_ dir: String) throws(StoreError) {
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) {
        guard isDir.boolValue else { throw .cannotOpen(dir, "it is a file, not a directory; name a directory with --data-dir") }
        return
    }
    do {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    } catch {
        throw .cannotOpen(dir, "cannot create the data directory: \(error.localizedDescription)")
    }
    guard chmod(dir, 0o700) == 0 else {
        throw .cannotOpen(dir, "cannot make the new data directory private (chmod 700): \(String(cString: strerror(errno)))")
    }
}
